"""In-app notifications and the email outbox that goes with them."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from taskboerse.extensions import db
from taskboerse.models import Application, Notification, NotificationKind, OutboxMessage, Task, User
from taskboerse.models.types import utcnow

log = logging.getLogger(__name__)


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
    }
    return texts[kind]


def notify(
    user: User,
    kind: NotificationKind,
    task: Task | None = None,
    application: Application | None = None,
    actor_name: str = "",
) -> Notification:
    """Add a notification and its email to the caller's transaction (no commit here)."""
    params = {"task": task.title if task else "", "name": actor_name}
    note = Notification(
        user_id=user.id,
        kind=kind,
        task_id=task.id if task else None,
        application_id=application.id if application else None,
        params=params,
    )
    db.session.add(note)
    with force_locale(user.locale or "da"):
        text = notification_text(kind, params)
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=user.name),
                text,
                _("Log in to Taskbørs to see more."),
            ]
        )
        db.session.add(
            OutboxMessage(to_email=user.email, subject=f"Taskbørs: {text}"[:200], body=body)
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


class MemoryMailBackend:
    """Tests: keep sent mails in a list."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, message: OutboxMessage) -> None:
        """Remember the mail."""
        self.sent.append((message.to_email, message.subject, message.body))


class SmtpMailBackend:
    """Production: send through an SMTP relay."""

    def __init__(self, host: str, port: int, sender: str) -> None:
        self.host, self.port, self.sender = host, port, sender

    def send(self, message: OutboxMessage) -> None:
        """Send the mail over SMTP."""
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.to_email
        mail["Subject"] = message.subject
        mail.set_content(message.body)
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            smtp.send_message(mail)


def mail_backend():
    """The backend named by MAIL_BACKEND, one per app."""
    backend = current_app.extensions.get("taskboerse_mail")
    if backend is None:
        cfg = current_app.config
        name = cfg["MAIL_BACKEND"]
        if name == "smtp":
            backend = SmtpMailBackend(cfg["SMTP_HOST"], cfg["SMTP_PORT"], cfg["MAIL_FROM"])
        elif name == "memory":
            backend = MemoryMailBackend()
        else:
            backend = LogMailBackend()
        current_app.extensions["taskboerse_mail"] = backend
    return backend


def deliver_outbox(limit: int = 100, max_attempts: int = 5) -> tuple[int, int]:
    """Send waiting mails; returns (sent, failed). Failures are kept for a later retry."""
    backend = mail_backend()
    messages = db.session.execute(
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < max_attempts)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).scalars()
    sent = failed = 0
    for message in messages:
        message.attempts += 1
        try:
            backend.send(message)
        except (OSError, smtplib.SMTPException) as exc:
            message.last_error = str(exc)[:500]
            failed += 1
        else:
            message.sent_at = utcnow()
            sent += 1
    db.session.commit()
    return sent, failed
