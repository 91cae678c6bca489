"""Periodic clean-up the worker runs: expired login sessions and API tokens, and failures
of background jobs older than their keeping period."""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import delete, or_

from taskboerse.extensions import db
from taskboerse.models import ApiToken, JobFailure, LoginSession
from taskboerse.services import clock

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
