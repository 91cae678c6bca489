"""Periodic clean-up the worker runs (expired login sessions and API tokens, old failures of
background jobs), and what the admin sees of the background work."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select

from taskboerse.extensions import db
from taskboerse.models import ApiToken, JobFailure, LoginSession, OutboxMessage
from taskboerse.services import clock
from taskboerse.services.errors import Conflict, NotFound
from taskboerse.services.notifications import ERASED_EMAIL_DOMAIN

# A recorded job failure is kept this long for the admin to see, then deleted.
JOB_FAILURE_DAYS = 90


class Cleared(NamedTuple):
    """How many rows one run deleted."""

    sessions: int
    tokens: int
    job_failures: int


def clear_expired() -> Cleared:
    """Delete login sessions past their idle or absolute limit, API tokens past their expiry
    and old job failures. Idempotent; commits."""
    config = current_app.config
    now = clock.now()
    idle = timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=config["SESSION_ABSOLUTE_HOURS"])
    sessions = db.session.execute(
        delete(LoginSession).where(
            or_(LoginSession.last_seen_at < now - idle, LoginSession.created_at < now - absolute)
        )
    ).rowcount
    tokens = db.session.execute(delete(ApiToken).where(ApiToken.expires_at < now)).rowcount
    failures = db.session.execute(
        delete(JobFailure).where(JobFailure.failed_at < now - timedelta(days=JOB_FAILURE_DAYS))
    ).rowcount
    db.session.commit()
    return Cleared(sessions, tokens, failures)


class WorkerStatus(NamedTuple):
    """What the admin sees of the background work."""

    waiting: int  # emails no worker holds that wait to be sent
    oldest_waiting_at: datetime | None  # when the oldest of them was written
    last_sent_at: datetime | None
    failed_messages: list[OutboxMessage]  # newest first
    job_failures: list[JobFailure]  # newest first


def worker_status(limit: int = 20) -> WorkerStatus:
    """The outbox and the failed jobs, for the admin's page (an email that waits for more
    than a few minutes means no worker runs)."""
    from taskboerse.services.notifications import outbox_waiting

    unsent = (OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
    return WorkerStatus(
        waiting=outbox_waiting(),
        oldest_waiting_at=db.session.execute(
            select(func.min(OutboxMessage.created_at)).where(*unsent)
        ).scalar_one(),
        last_sent_at=db.session.execute(select(func.max(OutboxMessage.sent_at))).scalar_one(),
        failed_messages=list(
            db.session.execute(
                select(OutboxMessage)
                .where(OutboxMessage.failed_at.is_not(None))
                .order_by(OutboxMessage.failed_at.desc(), OutboxMessage.id.desc())
                .limit(limit)
            ).scalars()
        ),
        job_failures=list(
            db.session.execute(
                select(JobFailure)
                .order_by(JobFailure.failed_at.desc(), JobFailure.id.desc())
                .limit(limit)
            ).scalars()
        ),
    )


def resend_message(message_id: int) -> OutboxMessage:
    """Put a failed email back in the outbox (after the relay or address was fixed): the
    worker sends it at its next run. A message that did not fail is left alone. Commits."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.failed_at is None:
        raise NotFound(_l("No such failed email."))
    if message.to_email.endswith("@" + ERASED_EMAIL_DOMAIN):
        raise Conflict(_l("The recipient's account is erased; the email cannot be sent."))
    message.failed_at = None
    message.locked_until = None
    message.attempts = 0
    db.session.commit()
    return message
