"""The one clock: every rule that asks what time or day it is asks here, so a test can
freeze it in one place (monkeypatch ``clock.now`` / ``clock.today``)."""

from __future__ import annotations

from datetime import date, datetime

from taskboerse.models.types import utcnow


def now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return utcnow()


def today() -> date:
    """Today's date on the server's calendar."""
    return date.today()
