"""The background jobs. Each reads what is due from the database and records what it did
there, so running one twice (or in two workers at once) sends nothing twice.

Periodic schedule (UTC; the jobs themselves decide what is due in Copenhagen time):

==================  ==============  ================================================
job                 when            what
==================  ==============  ================================================
deliver_outbox      every minute    send waiting email (also enqueued after every
                                    commit that wrote some)
instant_alerts      every minute    saved searches with instant alerts (also enqueued
                                    when a task is published)
scheduled_work      every 15 min    daily and weekly alerts, the daily digest,
                                    reminders, invitation expiry, mentor requests
                                    unanswered for MENTOR_REQUEST_DAYS expire
housekeeping        hourly          expired sessions and tokens, stale vectors and
                                    search documents after a model or text change
retention           daily 02:30     the retention rule (warn, then anonymise)
==================  ==============  ================================================
"""

from __future__ import annotations

import logging

from huey import crontab

from taskboerse.worker import job, periodic

log = logging.getLogger(__name__)


@job()
def deliver_outbox() -> tuple[int, int]:
    """Send what waits in the outbox, in batches, until nothing is left that no other worker
    holds; returns (sent, failed)."""
    from taskboerse.services.notifications import deliver_outbox as deliver
    from taskboerse.services.notifications import outbox_waiting

    total_sent = total_failed = 0
    while True:
        sent, failed = deliver(limit=50)
        total_sent, total_failed = total_sent + sent, total_failed + failed
        if not outbox_waiting():
            return total_sent, total_failed


@periodic(crontab(minute="*"))
def deliver_outbox_periodically() -> tuple[int, int]:
    """The safety net: mail whose enqueue was lost still goes within a minute."""
    return deliver_outbox.call_local()


def _run_alerts(frequencies: tuple[str, ...]) -> int:
    from taskboerse.models import AlertFrequency
    from taskboerse.services import saved_searches
    from taskboerse.web.matching import matching_index

    return saved_searches.run_alerts(
        matching_index(), frozenset(AlertFrequency(f) for f in frequencies)
    )


@job()
def instant_alerts() -> int:
    """Alerts for saved searches set to "instantly"; returns how many emails were queued."""
    return _run_alerts(("instant",))


@periodic(crontab(minute="*"))
def instant_alerts_periodically() -> int:
    """Instant alerts every minute, in case a publish's enqueue was lost."""
    return instant_alerts.call_local()


@periodic(crontab(minute="*/15"))
def scheduled_work() -> dict[str, int]:
    """Daily and weekly alerts, the digest, reminders, invitation expiry, the expiry of
    unanswered mentor requests and the completion of mentorships long past their end (each
    decides for itself what is due, so a missed quarter-hour
    is made up at the next). One part that fails does not stop the others; the run then fails
    as a whole, so it is recorded."""
    from taskboerse.services import mentor_needs, mentorships, reminders
    from taskboerse.services.notifications import send_digests

    parts = {
        "alerts": lambda: {"alerts": _run_alerts(("daily", "weekly"))},
        "reminders": lambda: reminders.run_reminders()._asdict(),
        "mentor_requests": lambda: {"mentor_requests_expired": mentor_needs.expire_requests()},
        "mentorships": lambda: {"mentorships_completed": mentorships.complete_due()},
        "digests": lambda: {"digests": send_digests()},
    }
    done: dict[str, int] = {}
    failed: list[str] = []
    for name, part in parts.items():
        try:
            done.update(part())
        except Exception:  # noqa: BLE001 — logged here, raised below after the rest ran
            log.exception("scheduled work: %s failed", name)
            _rollback()
            failed.append(name)
    if failed:
        raise RuntimeError(f"scheduled work failed in: {', '.join(failed)} (done: {done})")
    return done


def _rollback() -> None:
    from taskboerse.extensions import db

    db.session.rollback()


@periodic(crontab(minute="7"))
def housekeeping() -> dict[str, int]:
    """Clear expired sessions and tokens; bring stale vectors (a model or text change) and
    search documents up to date."""
    from taskboerse.services import search
    from taskboerse.services.housekeeping import clear_expired
    from taskboerse.web.matching import matching_index

    done = clear_expired()._asdict()
    counts = matching_index().refresh_vectors()
    done["vectors"] = counts["task"] + counts["profile"]
    done["search_documents"] = search.catch_up()
    return done


@periodic(crontab(minute="30", hour="2"))
def retention() -> tuple[int, int]:
    """Warn unused accounts, then anonymise those still unused when the notice runs out."""
    from taskboerse.services.privacy import retention_run
    from taskboerse.services.security import security_event

    result = retention_run()
    security_event("retention_run", warned=result.warned, anonymised=result.anonymised)
    return result.warned, result.anonymised
