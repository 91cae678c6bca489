"""In-app notifications and the email outbox that goes with them."""

from __future__ import annotations

import logging
import smtplib
import unicodedata
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from taskboerse.extensions import db
from taskboerse.models import Application, Notification, NotificationKind, OutboxMessage, Task, User
from taskboerse.models.types import utcnow
from taskboerse.services.errors import ValidationFailed
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
    texts = {
        NotificationKind.NEW_APPLICATION: _(
            "%(name)s applied for “%(task)s”.", name=name, task=task
        ),
        NotificationKind.ACCEPTED: _("You were accepted for “%(task)s”.", task=task),
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
    user: User, kind: NotificationKind, params: dict, note_id: int | None = None
) -> tuple[str, str]:
    """The subject and body of the email for a notification, in the recipient's language,
    with the absolute link to the page it is about (none for a disabled account)."""
    with force_locale(user.locale or "da"):
        text = notification_text(kind, params)
        parts = [_("Hello %(name)s,", name=user.name), text]
        if note_id is not None and kind != NotificationKind.ACCOUNT_DISABLED:
            parts.append(_("See it on Taskbørs: %(link)s", link=notification_link(note_id)))
        body = "\n\n".join(parts)
        return header_text(f"Taskbørs: {header_text(text, 150)}"), body


def notify(
    user: User,
    kind: NotificationKind,
    task: Task | None = None,
    application: Application | None = None,
    actor: User | None = None,
    reason: str = "",
    email: bool = True,
) -> Notification | None:
    """Add a notification and its email to the caller's transaction (no commit here).

    ``actor`` is the person the notification is about ("X applied"); it is kept by
    reference, so erasing that person finds every notification and queued email naming
    them. ``reason`` is the actor's optional word on why (a rejection, a cancellation), shown
    with the notification. ``email=False`` adds the notification only. An erased recipient
    gets nothing: the address is a placeholder.
    """
    if user.anonymised_at is not None:
        return None
    params = {"task": task.title if task else "", "name": actor.name if actor else ""}
    if reason.strip():
        params["reason"] = reason.strip()
    note = Notification(
        user_id=user.id,
        kind=kind,
        task_id=task.id if task else None,
        application_id=application.id if application else None,
        actor_id=actor.id if actor else None,
        params=params,
    )
    db.session.add(note)
    db.session.flush()
    if not email:
        return note
    subject, body = render_email(user, kind, params, note.id)
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


def deliver_outbox(limit: int = 100, max_attempts: int = 5) -> tuple[int, int]:
    """Send waiting mails; returns (sent, failed).

    Each message is committed on its own, so one that fails never blocks the others or makes
    them go out twice. A network or relay error is retried at the next run, up to
    ``max_attempts``; a message that cannot be sent at all (a malformed header, an erased
    recipient) is marked failed with its error at once and skipped from then on.
    """
    backend = mail_backend()
    ids = list(
        db.session.execute(
            select(OutboxMessage.id)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
            .order_by(OutboxMessage.id)
            .limit(limit)
        ).scalars()
    )
    sent = failed = 0
    for message_id in ids:
        message = db.session.execute(
            select(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.failed_at.is_(None),
            )
            .with_for_update(skip_locked=True)
        ).scalar_one_or_none()
        if message is None:
            db.session.rollback()
            continue  # sent meanwhile, or another runner is sending it now
        message.attempts += 1
        try:
            if message.to_email.endswith("@" + ERASED_EMAIL_DOMAIN):
                raise ValueError("the recipient's account is erased")
            backend.send(message)
        except (OSError, smtplib.SMTPException) as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"[:500]
            if message.attempts >= max_attempts:
                message.failed_at = utcnow()
            failed += 1
        except Exception as exc:  # noqa: BLE001 — any other error is permanent for this message
            message.last_error = f"{type(exc).__name__}: {exc}"[:500]
            message.failed_at = utcnow()
            failed += 1
            log.warning("mail %s failed and is skipped: %s", message.id, message.last_error)
        else:
            message.sent_at = utcnow()
            sent += 1
        db.session.commit()
    return sent, failed
