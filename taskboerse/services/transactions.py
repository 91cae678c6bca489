"""Retrying a use case when PostgreSQL aborts its transaction to keep concurrent ones correct.

Row locks (``lock_task``) make most races wait rather than fail, but a deadlock (40P01) or a
serialization failure (40001) can still end a transaction; it is safe to run the whole use
case again, since it was rolled back.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError

from taskboerse.extensions import db

RETRYABLE = {"40001", "40P01"}  # serialization_failure, deadlock_detected
ATTEMPTS = 4

P = ParamSpec("P")
R = TypeVar("R")
logger = logging.getLogger(__name__)


def sqlstate(error: DBAPIError) -> str | None:
    """The SQLSTATE of a database error (psycopg 3 or psycopg2), if any."""
    orig = error.orig
    return getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)


def retry_on_conflict(use_case: Callable[P, R]) -> Callable[P, R]:
    """Run ``use_case`` again (up to 4 times) when the database aborts it as a conflict."""

    @functools.wraps(use_case)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return use_case(*args, **kwargs)
            except DBAPIError as error:
                if sqlstate(error) not in RETRYABLE or attempt == ATTEMPTS:
                    raise
                db.session.rollback()
                logger.info("retrying %s after %s", use_case.__name__, sqlstate(error))
                time.sleep(0.01 * attempt)
        raise AssertionError("unreachable")

    return wrapped
