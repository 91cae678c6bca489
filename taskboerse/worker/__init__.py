"""The background worker's queue: Huey, on SQLite beside the app's database for `make run`
(no extra service) or on Redis in production (``TASKBOERSE_REDIS_URL``).

The queue is chosen from the environment when this module is imported, as the web processes
and the worker (``flask worker``) must agree on it:

- ``TASKBOERSE_QUEUE=redis`` (the default when ``TASKBOERSE_REDIS_URL`` is set): Redis;
- ``TASKBOERSE_QUEUE=sqlite`` (the default otherwise): a SQLite file, ``instance/queue.sqlite``
  or ``TASKBOERSE_QUEUE_PATH``;
- ``TASKBOERSE_QUEUE=memory``: in the process only (the tests drive it with ``run_pending``).

The queue only says *that* there is work; what to do lives in the database (the outbox, the
saved searches, the reminders sent), so every job is idempotent and a lost or repeated job
costs nothing but a run. The jobs themselves are in ``taskboerse.worker.jobs``.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey import signals as huey_signals
from sqlalchemy import event
from sqlalchemy.orm import Session

from taskboerse.config import INSTANCE_DIR

log = logging.getLogger(__name__)

QUEUE_NAME = "taskboerse"
# A failing job is tried again after 30 s, 60 s, 120 s, 240 s, then recorded in job_failures.
RETRIES = 4
RETRY_DELAY = 30
RETRY_BACKOFF = 2


def make_huey(environ: dict[str, str] | None = None, name: str = QUEUE_NAME) -> Huey:
    """The Huey instance the environment asks for (see the module docstring)."""
    env = os.environ if environ is None else environ
    redis_url = env.get("TASKBOERSE_REDIS_URL", "")
    kind = env.get("TASKBOERSE_QUEUE") or ("redis" if redis_url else "sqlite")
    if kind == "memory":
        return MemoryHuey(name, utc=True)
    if kind == "redis":
        if not redis_url:
            raise RuntimeError("TASKBOERSE_QUEUE=redis needs TASKBOERSE_REDIS_URL")
        return RedisHuey(name, url=redis_url, utc=True)
    if kind == "sqlite":
        path = Path(env.get("TASKBOERSE_QUEUE_PATH") or INSTANCE_DIR / "queue.sqlite")
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=str(path), utc=True)
    raise RuntimeError(f"TASKBOERSE_QUEUE={kind!r} is unknown; use sqlite, redis or memory")


huey = make_huey()

_bound: dict[str, Flask] = {}


def bind(app: Flask) -> None:
    """The app whose context each job runs in when none is pushed (the worker's threads)."""
    _bound["app"] = app


def _app() -> Flask:
    if "app" not in _bound:
        from taskboerse.app import create_app

        bind(create_app())
    return _bound["app"]


def _in_app_context(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            return fn(*args, **kwargs)
        with _app().app_context():
            return fn(*args, **kwargs)

    return run


def job(**options: Any) -> Callable[[Callable[..., Any]], Any]:
    """Register ``fn`` as a background job (retried with back-off, run in an app context).
    Calling the decorated function enqueues it; ``.call_local()`` runs it here and now."""
    options.setdefault("retries", RETRIES)
    options.setdefault("retry_delay", RETRY_DELAY)
    options.setdefault("retry_backoff", RETRY_BACKOFF)

    def decorate(fn: Callable[..., Any]) -> Any:
        return huey.task(name=fn.__name__, **options)(_in_app_context(fn))

    return decorate


def periodic(schedule: Callable[[datetime], bool], **options: Any) -> Callable[..., Any]:
    """Register ``fn`` as a periodic job on ``schedule`` (a huey ``crontab``, in UTC)."""
    options.setdefault("retries", 0)  # the next period is the retry

    def decorate(fn: Callable[..., Any]) -> Any:
        return huey.periodic_task(schedule, name=fn.__name__, **options)(_in_app_context(fn))

    return decorate


# --- failures: recorded, never lost ------------------------------------------------------------


@huey.signal(huey_signals.SIGNAL_ERROR)
def _record_failure(signal: str, task: Any, exc: BaseException | None = None) -> None:
    """A job that failed its last attempt goes into ``job_failures`` (and the log)."""
    if task.retries:
        return  # it will be tried again
    _in_app_context(_store_failure)(task, exc)


def _store_failure(task: Any, exc: BaseException | None) -> None:
    from taskboerse.extensions import db
    from taskboerse.models import JobFailure

    error = f"{type(exc).__name__}: {exc}" if exc is not None else "unknown error"
    log.error("job %s failed for good: %s", task.name, error)
    try:
        db.session.rollback()
        db.session.add(
            JobFailure(
                job=task.name[:120],
                args=repr((task.args, task.kwargs))[:2000],
                error=error[:4000],
                attempts=type(task).default_retries + 1,
            )
        )
        db.session.commit()
    except Exception:  # noqa: BLE001 — the log above still has it
        log.exception("could not record the failure of job %s", task.name)
        db.session.rollback()


# --- enqueue after the use case's transaction commits ---------------------------------------

_PENDING = "taskboerse_jobs_after_commit"


def after_commit(session: Session, job_fn: Any, *args: Any) -> None:
    """Enqueue ``job_fn(*args)`` once ``session``'s transaction commits (never if it rolls
    back): the job then finds what the transaction wrote. The same call is queued once."""
    pending: list = session.info.setdefault(_PENDING, [])
    if (job_fn, args) not in pending:
        pending.append((job_fn, args))


def _enqueue_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    for job_fn, args in pending or ():
        try:
            job_fn(*args)
        except Exception:  # noqa: BLE001 — the periodic run catches up within a minute
            log.warning("could not enqueue %s; the periodic run will do it", job_fn, exc_info=True)


def _forget_pending(session: Session, *_: Any) -> None:
    session.info.pop(_PENDING, None)


def _outbox_written(session: Session, flush_context: Any, instances: Any) -> None:
    from taskboerse.models import OutboxMessage

    if any(isinstance(obj, OutboxMessage) for obj in session.new):
        from taskboerse.worker.jobs import deliver_outbox

        after_commit(session, deliver_outbox)


def init_app(app: Flask) -> None:
    """Deliver mail soon after any transaction that wrote some commits, and make the jobs
    known to this process."""
    from taskboerse.worker import jobs  # noqa: F401  (registers the jobs with huey)

    if not event.contains(Session, "after_commit", _enqueue_pending):
        event.listen(Session, "before_flush", _outbox_written)
        event.listen(Session, "after_commit", _enqueue_pending)
        event.listen(Session, "after_soft_rollback", _forget_pending)
    app.extensions["taskboerse_worker"] = huey
    _bound.setdefault("app", app)


# --- running jobs here and now (tests, benchmarks, `flask worker --once`) -------------------


def run_pending(limit: int = 1000, now: datetime | None = None) -> int:
    """Run every queued job (and every scheduled one due by ``now``, a naive UTC datetime as
    huey counts time) in this thread, as a worker would; returns how many ran. Jobs enqueued
    by those jobs run too."""
    ran = 0
    while ran < limit:
        for task in huey.read_schedule(now or huey._get_timestamp()):
            huey.enqueue(task)
        task = huey.dequeue()
        if task is None:
            break
        huey.execute(task, now)
        ran += 1
    return ran


def current_queue() -> Huey:
    """The queue this app enqueues on."""
    return current_app.extensions.get("taskboerse_worker", huey)
