"""In-app notifications and the email outbox that goes with them."""

from __future__ import annotations

import logging
import smtplib
import unicodedata
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from taskboerse.extensions import db
from taskboerse.models import (
    Application,
    Channel,
    Notification,
    NotificationCategory,
    NotificationKind,
    NotificationPreference,
    OutboxMessage,
    Task,
    User,
)
from taskboerse.models.types import utcnow
from taskboerse.services.errors import ValidationFailed
from taskboerse.services.mentoring import topic_label
from taskboerse.services.security import CPR_MESSAGE, contains_cpr

log = logging.getLogger(__name__)

# Erased accounts get an address in this reserved domain (RFC 2606); nothing is sent there.
ERASED_EMAIL_DOMAIN = "invalid.example"
# The optional reason given with a rejection, a withdrawal, a cancellation or a disabling.
MAX_REASON = 500


def check_reason(reason: str | None, field: str = "reason") -> str:
    """The reason as stored: trimmed, at most MAX_REASON characters, no CPR number."""
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise ValidationFailed(
            _l("The reason can be at most %(n)d characters.", n=MAX_REASON), field=field
        )
    if contains_cpr(reason):
        raise ValidationFailed(CPR_MESSAGE, field=field)
    return reason


def notification_text(kind: NotificationKind, params: dict) -> str:
    """One sentence for the notification, in the current locale."""
    task = params.get("task", "")
    name = params.get("name", "")
    # Mentoring notifications store the topic's code; its label is in the reader's language.
    topic = topic_label(params.get("topic")) if params.get("topic") else ""
    texts = {
        NotificationKind.NEW_APPLICATION: _(
            "%(name)s applied for “%(task)s”.", name=name, task=task
        ),
        NotificationKind.ACCEPTED: (
            _(
                "You were accepted for the virksomhedspraktik “%(task)s”. It must be approved "
                "by the job centre before you start.",
                task=task,
            )
            if params.get("approval")
            else _("You were accepted for “%(task)s”.", task=task)
        ),
        NotificationKind.REJECTED: _(
            "Your application for “%(task)s” was not accepted.", task=task
        ),
        NotificationKind.INVITATION: _("You are invited to apply for “%(task)s”.", task=task),
        NotificationKind.COMPLETED: _(
            "Your work on “%(task)s” is completed and you have a new reference.", task=task
        ),
        NotificationKind.WITHDRAWN: _(
            "%(name)s withdrew their application for “%(task)s”.", name=name, task=task
        ),
        NotificationKind.TASK_CANCELLED: _("The task “%(task)s” was cancelled.", task=task),
        NotificationKind.COMPANY_CLOSED: _(
            "The task “%(task)s” was cancelled because the company has left Taskbørs.",
            task=task,
        ),
        NotificationKind.MESSAGE: _(
            "%(name)s sent you a message about “%(task)s”.", name=name, task=task
        ),
        NotificationKind.ACCOUNT_DISABLED: _(
            "Your account on Taskbørs has been disabled. If you think this is a mistake, "
            "contact the job centre."
        ),
        NotificationKind.DEADLINE_SOON: ngettext(
            "The deadline for “%(task)s” is %(date)s, in %(num)d day.",
            "The deadline for “%(task)s” is %(date)s, in %(num)d days.",
            int(params.get("days", 0) or 0),
            task=task,
            date=params.get("date", ""),
        ),
        NotificationKind.DEADLINE_TODAY: _("The deadline for “%(task)s” is today.", task=task),
        NotificationKind.APPLICANTS_WAITING: ngettext(
            "%(num)d application for “%(task)s” has waited %(days)s days for your answer.",
            "%(num)d applications for “%(task)s” have waited %(days)s days for your answer.",
            int(params.get("count", 1) or 1),
            task=task,
            days=params.get("days", ""),
        ),
        NotificationKind.INVITATION_EXPIRED: (
            _(
                "The invitation to %(name)s for “%(task)s” expired without an answer.",
                name=name,
                task=task,
            )
            if params.get("to") == "owner"
            else _("Your invitation to apply for “%(task)s” expired without an answer.", task=task)
        ),
        NotificationKind.TASK_ALERT: ngettext(
            "%(num)d new task matches “%(search)s”.",
            "%(num)d new tasks match “%(search)s”.",
            int(params.get("count", 1) or 1),
            search=params.get("search", ""),
        ),
        NotificationKind.PLACEMENT_AWAITING: _(
            "A virksomhedspraktik (“%(task)s”) waits for your approval.", task=task
        ),
        NotificationKind.PLACEMENT_APPROVED: _(
            "The job centre approved the virksomhedspraktik “%(task)s”. The work can start.",
            task=task,
        ),
        NotificationKind.PLACEMENT_DECLINED: _(
            "The job centre did not approve the virksomhedspraktik “%(task)s”.", task=task
        ),
        NotificationKind.HOURS_LOGGED: _(
            "%(name)s logged hours on “%(task)s” for you to confirm.", name=name, task=task
        ),
        NotificationKind.MENTOR_AWAITING_APPROVAL: _(
            "%(name)s has registered as a mentor and waits for approval.", name=name
        ),
        NotificationKind.MENTOR_APPROVED: _(
            "Your mentor profile is approved: entrepreneurs can now find you."
        ),
        NotificationKind.MENTOR_REQUEST: _(
            "%(name)s asks you to be their mentor (%(topic)s).", name=name, topic=topic
        ),
        NotificationKind.MENTOR_REQUEST_ACCEPTED: _(
            "%(name)s accepted to be your mentor (%(topic)s).", name=name, topic=topic
        ),
        NotificationKind.MENTOR_REQUEST_DECLINED: _(
            "%(name)s declined your request for a mentor (%(topic)s).", name=name, topic=topic
        ),
        NotificationKind.MENTOR_REQUEST_EXPIRED: _(
            "%(name)s did not answer your request within %(days)s days (%(topic)s). See the "
            "next mentors for your need.",
            name=name,
            topic=topic,
            days=params.get("days", 7),
        ),
        NotificationKind.MENTORSHIP_MESSAGE: _(
            "%(name)s wrote to you in your mentorship (%(topic)s).", name=name, topic=topic
        ),
        NotificationKind.MENTORSHIP_ENDED: _(
            "%(name)s ended your mentorship (%(topic)s). Please give your feedback.",
            name=name,
            topic=topic,
        ),
        NotificationKind.MENTORSHIP_COMPLETED: _(
            "Your mentorship (%(topic)s) has passed its agreed end and is now completed. "
            "Please give your feedback.",
            topic=topic,
        ),
        NotificationKind.QUESTION_ANSWERED: _(
            "A mentor answered your question “%(title)s”.", title=params.get("title", "")
        ),
        NotificationKind.QUESTION_HIDDEN: _(
            "The business service hid your post under “%(title)s”.",
            title=params.get("title", ""),
        ),
    }
    text = texts[kind]
    reason = params.get("reason")
    if reason:
        text += " " + _("Reason: %(reason)s", reason=reason)
    return text


# The page behind every notification (web/main/views.py, ``open_notification``): it marks the
# notification read and forwards to the page it is about. Emails link here.
NOTIFICATION_PATH = "/notifications/{id}"


def notification_link(note_id: int) -> str:
    """The absolute link to a notification's page, under the configured BASE_URL."""
    return current_app.config["BASE_URL"] + NOTIFICATION_PATH.format(id=note_id)


def header_text(text: str, limit: int = 200) -> str:
    """``text`` safe for an email header: every line break and control character becomes a
    space, runs of spaces one, at most ``limit`` characters. User text (a name, a task
    title) may hold anything; a header must hold one line."""
    cleaned = "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in text
    )
    return " ".join(cleaned.split())[:limit]


def render_email(
    user: User,
    kind: NotificationKind,
    params: dict,
    note_id: int | None = None,
    lines: list[str] | None = None,
) -> tuple[str, str]:
    """The subject and body of the email for a notification, in the recipient's language,
    with the absolute link to the page it is about (none for a disabled account) and the
    further ``lines``, if any."""
    with force_locale(user.locale or "da"):
        text = notification_text(kind, params)
        parts = [_("Hello %(name)s,", name=user.name), text, *(lines or [])]
        if note_id is not None and kind != NotificationKind.ACCOUNT_DISABLED:
            parts.append(_("See it on Taskbørs: %(link)s", link=notification_link(note_id)))
        if kind != NotificationKind.ACCOUNT_DISABLED:
            parts.append(_("Choose which emails you get: %(link)s", link=preferences_link()))
        body = "\n\n".join(parts)
        return header_text(f"Taskbørs: {header_text(text, 150)}"), body


# The page where a user chooses their channels (web/auth/views.py, ``notification_settings``).
PREFERENCES_PATH = "/auth/account/notifications"


def preferences_link() -> str:
    """The absolute link to the notification settings."""
    return current_app.config["BASE_URL"] + PREFERENCES_PATH


# --- preferences: which channel each kind of notification takes ------------------------------

# The category each kind belongs to; a kind not listed (an account being disabled) is always
# emailed at once, whatever the preferences say.
KIND_CATEGORY: dict[NotificationKind, NotificationCategory] = {
    NotificationKind.NEW_APPLICATION: NotificationCategory.APPLICATIONS,
    NotificationKind.ACCEPTED: NotificationCategory.APPLICATIONS,
    NotificationKind.REJECTED: NotificationCategory.APPLICATIONS,
    NotificationKind.COMPLETED: NotificationCategory.APPLICATIONS,
    NotificationKind.WITHDRAWN: NotificationCategory.APPLICATIONS,
    NotificationKind.TASK_CANCELLED: NotificationCategory.APPLICATIONS,
    NotificationKind.COMPANY_CLOSED: NotificationCategory.APPLICATIONS,
    NotificationKind.MESSAGE: NotificationCategory.MESSAGES,
    NotificationKind.INVITATION: NotificationCategory.INVITATIONS,
    NotificationKind.INVITATION_EXPIRED: NotificationCategory.INVITATIONS,
    NotificationKind.TASK_ALERT: NotificationCategory.ALERTS,
    NotificationKind.DEADLINE_SOON: NotificationCategory.REMINDERS,
    NotificationKind.DEADLINE_TODAY: NotificationCategory.REMINDERS,
    NotificationKind.APPLICANTS_WAITING: NotificationCategory.REMINDERS,
    NotificationKind.PLACEMENT_AWAITING: NotificationCategory.APPLICATIONS,
    NotificationKind.PLACEMENT_APPROVED: NotificationCategory.APPLICATIONS,
    NotificationKind.PLACEMENT_DECLINED: NotificationCategory.APPLICATIONS,
    NotificationKind.HOURS_LOGGED: NotificationCategory.APPLICATIONS,
    NotificationKind.MENTOR_AWAITING_APPROVAL: NotificationCategory.APPLICATIONS,
    NotificationKind.MENTOR_APPROVED: NotificationCategory.APPLICATIONS,
    NotificationKind.MENTOR_REQUEST: NotificationCategory.INVITATIONS,
    NotificationKind.MENTOR_REQUEST_ACCEPTED: NotificationCategory.APPLICATIONS,
    NotificationKind.MENTOR_REQUEST_DECLINED: NotificationCategory.APPLICATIONS,
    NotificationKind.MENTOR_REQUEST_EXPIRED: NotificationCategory.APPLICATIONS,
    NotificationKind.MENTORSHIP_MESSAGE: NotificationCategory.MESSAGES,
    NotificationKind.MENTORSHIP_ENDED: NotificationCategory.APPLICATIONS,
    NotificationKind.MENTORSHIP_COMPLETED: NotificationCategory.APPLICATIONS,
    NotificationKind.QUESTION_ANSWERED: NotificationCategory.MESSAGES,
    NotificationKind.QUESTION_HIDDEN: NotificationCategory.APPLICATIONS,
}

# Defaults: what happens to someone (an answer, a message, an invitation) and what they
# asked for (alerts) arrives at once; reminders too, as a reminder a day late is none.
DEFAULT_CHANNELS: dict[NotificationCategory, Channel] = {
    NotificationCategory.APPLICATIONS: Channel.EMAIL,
    NotificationCategory.MESSAGES: Channel.EMAIL,
    NotificationCategory.INVITATIONS: Channel.EMAIL,
    NotificationCategory.ALERTS: Channel.EMAIL,
    NotificationCategory.REMINDERS: Channel.EMAIL,
}

CATEGORY_LABELS = {
    NotificationCategory.APPLICATIONS: _l("Applications and their status"),
    NotificationCategory.MESSAGES: _l("Messages"),
    NotificationCategory.INVITATIONS: _l("Invitations"),
    NotificationCategory.ALERTS: _l("Alerts about new tasks"),
    NotificationCategory.REMINDERS: _l("Reminders about deadlines and answers"),
}
CHANNEL_LABELS = {
    Channel.IN_APP: _l("Only here on Taskbørs"),
    Channel.EMAIL: _l("Email at once"),
    Channel.DIGEST: _l("One email a day (digest)"),
}
# The categories that concern each role (an entrepreneur gets no alerts about new tasks).
ROLE_CATEGORIES: dict[str, tuple[NotificationCategory, ...]] = {
    "jobseeker": tuple(NotificationCategory),
    "entrepreneur": (
        NotificationCategory.APPLICATIONS,
        NotificationCategory.MESSAGES,
        NotificationCategory.INVITATIONS,
        NotificationCategory.REMINDERS,
    ),
    "mentor": (
        NotificationCategory.INVITATIONS,
        NotificationCategory.APPLICATIONS,
        NotificationCategory.MESSAGES,
    ),
    "business_staff": (NotificationCategory.APPLICATIONS,),
}
# What a category holds in another role's words (the defaults above are a graduate's).
ROLE_CATEGORY_LABELS: dict[str, dict[NotificationCategory, object]] = {
    "entrepreneur": {
        NotificationCategory.APPLICATIONS: _l("Applications, mentor requests and their status"),
    },
    "mentor": {
        NotificationCategory.INVITATIONS: _l("Requests from entrepreneurs"),
        NotificationCategory.APPLICATIONS: _l("Your approval, mentorships and answers"),
        NotificationCategory.MESSAGES: _l("Messages in your mentorships"),
    },
    "business_staff": {NotificationCategory.APPLICATIONS: _l("Mentors waiting for approval")},
}


def category_label(category: NotificationCategory, role: str) -> str:
    """The category's name for a user of ``role``."""
    return str(ROLE_CATEGORY_LABELS.get(role, {}).get(category, CATEGORY_LABELS[category]))


def preferences(user: User) -> dict[NotificationCategory, Channel]:
    """The user's channel per category, defaults filled in."""
    chosen = dict(
        db.session.execute(
            select(NotificationPreference.category, NotificationPreference.channel).where(
                NotificationPreference.user_id == user.id
            )
        ).all()
    )
    return {
        category: chosen.get(category, default) for category, default in DEFAULT_CHANNELS.items()
    }


def set_preferences(user: User, choices: dict[str, str]) -> dict[NotificationCategory, Channel]:
    """Store the user's channels (``{category: channel}`` as strings); an unknown category
    or channel is refused and nothing changes. Commits."""
    parsed: dict[NotificationCategory, Channel] = {}
    for category, channel in choices.items():
        try:
            parsed[NotificationCategory(category)] = Channel(channel)
        except ValueError:
            raise ValidationFailed(
                _l("Choose one of the offered channels for each kind of notification."),
                field=str(category)[:40],
            ) from None
    db.session.execute(
        delete(NotificationPreference).where(
            NotificationPreference.user_id == user.id,
            NotificationPreference.category.in_(list(parsed)),
        )
    )
    for category, channel in parsed.items():
        if channel != DEFAULT_CHANNELS[category]:
            db.session.add(
                NotificationPreference(user_id=user.id, category=category, channel=channel)
            )
    db.session.commit()
    return preferences(user)


def channel_for(user: User, kind: NotificationKind) -> Channel:
    """Where a notification of ``kind`` goes for ``user``."""
    category = KIND_CATEGORY.get(kind)
    if category is None:
        return Channel.EMAIL
    chosen = db.session.execute(
        select(NotificationPreference.channel).where(
            NotificationPreference.user_id == user.id,
            NotificationPreference.category == category,
        )
    ).scalar_one_or_none()
    return chosen or DEFAULT_CHANNELS[category]


def notify(
    user: User,
    kind: NotificationKind,
    task: Task | None = None,
    application: Application | None = None,
    actor: User | None = None,
    reason: str = "",
    email: bool = True,
    params: dict | None = None,
    lines: list[str] | None = None,
) -> Notification | None:
    """Add a notification and, as the user chose for its kind, its email (at once, in the
    daily digest, or none) to the caller's transaction (no commit here).

    ``actor`` is the person the notification is about ("X applied"); it is kept by
    reference, so erasing that person finds every notification and queued email naming
    them. ``reason`` is the actor's optional word on why (a rejection, a cancellation), shown
    with the notification. ``params`` adds values to the text (a count, a date); ``lines``
    are further paragraphs of the email (the tasks of an alert, an unsubscribe link).
    ``email=False`` adds the notification only. An erased recipient gets nothing: the
    address is a placeholder.
    """
    if user.anonymised_at is not None:
        return None
    values = {"task": task.title if task else "", "name": actor.name if actor else ""}
    values.update(params or {})
    if reason.strip():
        values["reason"] = reason.strip()
    channel = channel_for(user, kind) if email else Channel.IN_APP
    note = Notification(
        user_id=user.id,
        kind=kind,
        task_id=task.id if task else None,
        application_id=application.id if application else None,
        actor_id=actor.id if actor else None,
        params=values,
        in_digest=channel == Channel.DIGEST,
    )
    db.session.add(note)
    db.session.flush()
    if channel != Channel.EMAIL:
        return note
    subject, body = render_email(user, kind, values, note.id, lines)
    db.session.add(
        OutboxMessage(to_email=user.email, subject=subject, body=body, notification_id=note.id)
    )
    return note


def unread_count(user_id: int) -> int:
    """How many notifications the user has not read."""
    return db.session.execute(
        select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    ).scalar_one()


def list_notifications(user_id: int, limit: int = 50) -> list[Notification]:
    """The user's newest notifications."""
    return list(
        db.session.execute(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        ).scalars()
    )


def open_notification(user: User, notification_id: int) -> Notification:
    """The user's notification, marked read (commits); another's gives 404."""
    from taskboerse.services.errors import NotFound

    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != user.id:
        raise NotFound(_l("No such notification."))
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.commit()
    return note


def new_applicants_by_task(user_id: int) -> dict[int, int]:
    """Per task, the applications the owner has not seen yet (their notification is unread)
    that still wait for an answer: an application already decided is not new, whatever
    the notification says."""
    from taskboerse.models import ApplicationStatus

    rows = db.session.execute(
        select(Notification.task_id, func.count(func.distinct(Application.id)))
        .join(Application, Application.id == Notification.application_id)
        .where(
            Notification.user_id == user_id,
            Notification.kind == NotificationKind.NEW_APPLICATION,
            Notification.read_at.is_(None),
            Application.status == ApplicationStatus.PENDING,
        )
        .group_by(Notification.task_id)
    ).all()
    return dict(rows)


def mark_task_read(user_id: int, task_id: int, kinds: tuple[NotificationKind, ...]) -> None:
    """Mark the user's unread notifications of ``kinds`` about one task read (the owner has
    opened the task's page); commits."""
    db.session.execute(
        update(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.task_id == task_id,
            Notification.kind.in_(kinds),
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
    )
    db.session.commit()


def mark_all_read(user_id: int) -> int:
    """Mark every unread notification of the user read; returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount


class LogMailBackend:
    """Development: write each mail to the log instead of sending it."""

    def send(self, message: OutboxMessage) -> None:
        """Log the mail."""
        log.info("mail to=%s subject=%s\n%s", message.to_email, message.subject, message.body)


def build_mail(message: OutboxMessage, sender: str) -> EmailMessage:
    """The email for an outbox message, headers cleaned of line breaks whatever they hold."""
    mail = EmailMessage()
    mail["From"] = header_text(sender, 254)
    mail["To"] = header_text(message.to_email, 254)
    mail["Subject"] = header_text(message.subject)
    mail.set_content(message.body)
    return mail


class MemoryMailBackend:
    """Tests: build each mail as SMTP would, and keep it in a list."""

    def __init__(self, sender: str = "noreply@example.com") -> None:
        self.sender = sender
        self.sent: list[tuple[str, str, str]] = []

    def send(self, message: OutboxMessage) -> None:
        """Build and remember the mail."""
        mail = build_mail(message, self.sender)
        self.sent.append((mail["To"], mail["Subject"], message.body))


class SmtpMailBackend:
    """Production: send through an SMTP relay."""

    def __init__(self, host: str, port: int, sender: str) -> None:
        self.host, self.port, self.sender = host, port, sender

    def send(self, message: OutboxMessage) -> None:
        """Send the mail over SMTP."""
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            smtp.send_message(build_mail(message, self.sender))


def mail_backend():
    """The backend named by MAIL_BACKEND, one per app."""
    backend = current_app.extensions.get("taskboerse_mail")
    if backend is None:
        cfg = current_app.config
        name = cfg["MAIL_BACKEND"]
        if name == "smtp":
            backend = SmtpMailBackend(cfg["SMTP_HOST"], cfg["SMTP_PORT"], cfg["MAIL_FROM"])
        elif name == "memory":
            backend = MemoryMailBackend(cfg["MAIL_FROM"])
        else:
            backend = LogMailBackend()
        current_app.extensions["taskboerse_mail"] = backend
    return backend


# A claimed message is another worker's for this long (it will have sent it or crashed).
OUTBOX_LEASE = timedelta(minutes=5)
# After a relay error the next attempt waits 1, 2, 4, 8 … minutes.
OUTBOX_BACKOFF = timedelta(minutes=1)


def _waiting(now: datetime):
    """Messages no worker holds that still wait to be sent."""
    return (
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until <= now),
    )


def claim_batch(limit: int, now: datetime) -> list[int]:
    """Take up to ``limit`` waiting messages for this worker, oldest first, in one UPDATE …
    RETURNING: on either database exactly one of two racing workers gets each message (the
    loser's UPDATE re-checks the row and finds it taken). Commits."""
    candidates = (
        select(OutboxMessage.id)
        .where(*_waiting(now))
        .order_by(OutboxMessage.id)
        .limit(limit)
        .scalar_subquery()
    )
    ids = list(
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(candidates), *_waiting(now))
            .values(locked_until=now + OUTBOX_LEASE, attempts=OutboxMessage.attempts + 1)
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)
        ).scalars()
    )
    db.session.commit()
    return sorted(ids)


def outbox_waiting() -> int:
    """How many messages wait that no worker holds."""
    from taskboerse.services import clock

    return db.session.execute(
        select(func.count(OutboxMessage.id)).where(*_waiting(clock.now()))
    ).scalar_one()


def deliver_outbox(limit: int = 100, max_attempts: int = 5) -> tuple[int, int]:
    """Send up to ``limit`` waiting mails; returns (sent, failed). Safe to run in any number
    of workers at once: messages are claimed before they are sent, so each goes out once.

    Each message is committed on its own once sent, so one that fails never blocks the
    others. A network or relay error is retried with back-off (1, 2, 4 … minutes), up to
    ``max_attempts``; a message that cannot be sent at all (a malformed header, an erased
    recipient) is marked failed with its error at once and skipped from then on. A worker
    that dies holding messages leaves them to the next after OUTBOX_LEASE.
    """
    from taskboerse.services import clock

    backend = mail_backend()
    sent = failed = 0
    claimed = claim_batch(limit, clock.now())
    if not claimed:
        return 0, 0
    batch = db.session.execute(
        select(OutboxMessage)
        .where(OutboxMessage.id.in_(claimed))
        .order_by(OutboxMessage.id)
        .execution_options(populate_existing=True)
    ).scalars()
    # Detached, the loaded messages survive each commit (no reload per message); their rows
    # are updated by id.
    messages = list(batch)
    for message in messages:
        db.session.expunge(message)
    for message in messages:
        outcome: dict = {}
        try:
            if message.to_email.endswith("@" + ERASED_EMAIL_DOMAIN):
                raise ValueError("the recipient's account is erased")
            backend.send(message)
        except (OSError, smtplib.SMTPException) as exc:
            outcome["last_error"] = f"{type(exc).__name__}: {exc}"[:500]
            if message.attempts >= max_attempts:
                outcome["failed_at"] = clock.now()
            else:
                outcome["locked_until"] = clock.now() + OUTBOX_BACKOFF * 2 ** (message.attempts - 1)
            failed += 1
        except Exception as exc:  # noqa: BLE001 — any other error is permanent for this message
            outcome["last_error"] = f"{type(exc).__name__}: {exc}"[:500]
            outcome["failed_at"] = clock.now()
            failed += 1
            log.warning("mail %s failed and is skipped: %s", message.id, outcome["last_error"])
        else:
            outcome.update(sent_at=clock.now(), locked_until=None)
            sent += 1
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message.id)
            .values(**outcome)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    return sent, failed


# --- the daily digest -----------------------------------------------------------------------

COPENHAGEN = "Europe/Copenhagen"


def _digest_waiting(user_id: int) -> list[Notification]:
    return list(
        db.session.execute(
            select(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.in_digest.is_(True),
                Notification.digested_at.is_(None),
                Notification.read_at.is_(None),
            )
            .order_by(Notification.created_at, Notification.id)
        ).scalars()
    )


def render_digest(user: User, notes: list[Notification]) -> tuple[str, str]:
    """One email with every waiting notification, each with its link, in the user's language."""
    with force_locale(user.locale or "da"):
        subject = ngettext(
            "Taskbørs: %(num)d new notification", "Taskbørs: %(num)d new notifications", len(notes)
        )
        parts = [
            _("Hello %(name)s,", name=user.name),
            _("Here is what happened on Taskbørs since your last digest:"),
        ]
        for note in notes:
            text = notification_text(note.kind, note.params or {})
            parts.append(f"• {text}\n  {notification_link(note.id)}")
        parts.append(_("Choose which emails you get: %(link)s", link=preferences_link()))
        return header_text(subject), "\n\n".join(parts)


def send_digests(hour: int | None = None) -> int:
    """Send each user whose notifications wait for the digest one email with all of them, at
    most once per Copenhagen day and not before ``hour`` o'clock there (DIGEST_HOUR); returns
    how many went to the outbox. Safe to run often and in two workers at once: a user's digest
    is claimed with one UPDATE of ``digest_sent_at`` in the transaction that writes it."""
    from zoneinfo import ZoneInfo

    from taskboerse.services import clock

    hour = current_app.config.get("DIGEST_HOUR", 7) if hour is None else hour
    now = clock.now()
    local = now.astimezone(ZoneInfo(COPENHAGEN))
    if local.hour < hour:
        return 0
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(now.tzinfo)
    user_ids = list(
        db.session.execute(
            select(Notification.user_id)
            .where(
                Notification.in_digest.is_(True),
                Notification.digested_at.is_(None),
                Notification.read_at.is_(None),
            )
            .distinct()
        ).scalars()
    )
    db.session.commit()
    sent = 0
    for user_id in user_ids:
        claimed = db.session.execute(
            update(User)
            .where(
                User.id == user_id,
                User.anonymised_at.is_(None),
                or_(User.digest_sent_at.is_(None), User.digest_sent_at < day_start),
            )
            .values(digest_sent_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        notes = _digest_waiting(user_id) if claimed == 1 else []
        if not notes:
            db.session.rollback()
            continue
        user = db.session.get(User, user_id)
        subject, body = render_digest(user, notes)
        db.session.add(OutboxMessage(to_email=user.email, subject=subject, body=body))
        for note in notes:
            note.digested_at = now
        db.session.commit()
        sent += 1
    return sent
