"""Configuration classes; every setting that differs between machines comes from the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = ROOT / "instance"


def _sqlite_default() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'taskboerse.sqlite'}"


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or _sqlite_default()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    # A login ends after this long without a request, and at the latest this long after login.
    SESSION_IDLE_MINUTES = int(os.environ.get("TASKBOERSE_SESSION_IDLE_MINUTES", "30"))
    SESSION_ABSOLUTE_HOURS = int(os.environ.get("TASKBOERSE_SESSION_ABSOLUTE_HOURS", "12"))

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session does

    # Request size: any body above MAX_CONTENT_LENGTH is refused with 413 before it is read;
    # API bodies (JSON, none of ours near it) and form text (the longest field, 10,000
    # characters, percent-encoded, is about 60 KB) have tighter caps.
    MAX_CONTENT_LENGTH = int(os.environ.get("TASKBOERSE_MAX_REQUEST_BYTES", str(2 * 1024 * 1024)))
    MAX_JSON_BYTES = 64 * 1024
    MAX_FORM_MEMORY_SIZE = 256 * 1024
    MAX_FORM_PARTS = 200

    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host. 0 (the
    # default) trusts none, so a client cannot pick the address the rate limits see; set it
    # to the number of proxies that really add the header (usually 1) behind a proxy.
    TRUSTED_PROXIES = int(os.environ.get("TASKBOERSE_TRUSTED_PROXIES", "0"))

    BABEL_DEFAULT_LOCALE = "da"
    BABEL_DEFAULT_TIMEZONE = "Europe/Copenhagen"
    LANGUAGES = ("da", "en")

    # argon2id cost; OWASP's first recommended setting (m=19 MiB, t=2, p=1).
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19 * 1024
    ARGON2_PARALLELISM = 1

    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("TASKBOERSE_REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("TASKBOERSE_LOGIN_RATE_LIMIT", "10 per minute")
    # Per account (the email tried), whatever the address: this many wrong passwords go
    # free, then each further one starts a delay that doubles, from the first to the cap.
    LOGIN_FREE_FAILURES = int(os.environ.get("TASKBOERSE_LOGIN_FREE_FAILURES", "5"))
    LOGIN_FIRST_DELAY_SECONDS = int(os.environ.get("TASKBOERSE_LOGIN_FIRST_DELAY", "60"))
    LOGIN_MAX_DELAY_SECONDS = int(os.environ.get("TASKBOERSE_LOGIN_MAX_DELAY", "900"))
    RATELIMIT_KEY_PREFIX = os.environ.get("TASKBOERSE_RATELIMIT_PREFIX", "taskboerse")

    MAIL_BACKEND = os.environ.get("TASKBOERSE_MAIL_BACKEND", "log")  # "log" or "smtp"
    MAIL_FROM = os.environ.get("TASKBOERSE_MAIL_FROM", "noreply@taskboerse.example.com")
    SMTP_HOST = os.environ.get("TASKBOERSE_SMTP_HOST", "localhost")
    SMTP_PORT = int(os.environ.get("TASKBOERSE_SMTP_PORT", "25"))

    TASKS_PER_PAGE = 10
    # Completed work can be marked completed at the earliest this share of the calendar time
    # the task's hours take at this many hours a week after acceptance, and never sooner than
    # this many days (services/applications.py: completion_wait).
    COMPLETION_HOURS_PER_WEEK = float(os.environ.get("TASKBOERSE_COMPLETION_HOURS_PER_WEEK", "37"))
    COMPLETION_MIN_SHARE = float(os.environ.get("TASKBOERSE_COMPLETION_MIN_SHARE", "0.25"))
    COMPLETION_MIN_DAYS = float(os.environ.get("TASKBOERSE_COMPLETION_MIN_DAYS", "1"))

    # The limits on virksomhedspraktik (services/placement_rules.py holds the rules and their
    # legal references; README "Placements and the rules"). Public guidance as of 2026, to be
    # confirmed by the municipality before use.
    PRAKTIK_MAX_WEEKS = int(os.environ.get("TASKBOERSE_PRAKTIK_MAX_WEEKS", "4"))
    PRAKTIK_MAX_WEEKS_GRADUATE = int(os.environ.get("TASKBOERSE_PRAKTIK_MAX_WEEKS_GRADUATE", "8"))
    PRAKTIK_MAX_HOURS_PER_WEEK = int(os.environ.get("TASKBOERSE_PRAKTIK_MAX_HOURS_PER_WEEK", "37"))
    PRAKTIK_EMPLOYEES_PER_PLACE = int(os.environ.get("TASKBOERSE_PRAKTIK_EMPLOYEES_PER_PLACE", "5"))
    PRAKTIK_MIN_PLACES = int(os.environ.get("TASKBOERSE_PRAKTIK_MIN_PLACES", "1"))
    # A graduate counts as newly graduated (the longer praktik) this many years after the degree.
    NEW_GRADUATE_YEARS = int(os.environ.get("TASKBOERSE_NEW_GRADUATE_YEARS", "2"))
    API_TOKEN_SECONDS = int(os.environ.get("TASKBOERSE_API_TOKEN_SECONDS", str(12 * 3600)))
    API_TOKEN_RATE_LIMIT = "10 per minute"
    # Per address on the expensive anonymous endpoints: creating an account hashes a
    # password; skill suggestions from a description run the embedding model.
    SIGNUP_RATE_LIMIT = os.environ.get("TASKBOERSE_SIGNUP_RATE_LIMIT", "20 per minute")
    TEXT_SUGGESTION_RATE_LIMIT = os.environ.get(
        "TASKBOERSE_TEXT_SUGGESTION_RATE_LIMIT", "30 per minute"
    )

    # "default": the sentence-transformers model (TASKBOERSE_EMBEDDING_MODEL or the packaged
    # all-MiniLM-L6-v2); "hashing": a small deterministic embedder for tests.
    EMBEDDER = os.environ.get("TASKBOERSE_EMBEDDER", "default")
    # How often a process pulls changed tasks and profiles into its in-memory index.
    MATCHING_SYNC_SECONDS = float(os.environ.get("TASKBOERSE_MATCHING_SYNC_SECONDS", "2"))
    # Search: the least cosine for a semantic hit (None: the embedding model's own, measured
    # in matching/ranker.py) and how many semantic hits join the full-text ones.
    SEARCH_SEMANTIC_MIN_COSINE = (
        float(os.environ["TASKBOERSE_SEARCH_MIN_COSINE"])
        if os.environ.get("TASKBOERSE_SEARCH_MIN_COSINE")
        else None
    )
    SEARCH_SEMANTIC_MAX_HITS = int(os.environ.get("TASKBOERSE_SEARCH_SEMANTIC_HITS", "20"))
    # How many stale vectors one request may compute before answering (reindex does the rest).
    MATCHING_ENCODE_BUDGET = 64
    # Load the embedding model in a background thread at the first request, so the first
    # profile save or recommendation does not wait the seconds it takes.
    MATCHING_WARM_UP = True

    # Follow-up flags: transparent rules, each with its threshold here (days unless noted).
    FLAG_INACTIVE_DAYS = int(os.environ.get("TASKBOERSE_FLAG_INACTIVE_DAYS", "30"))
    FLAG_REJECTIONS_IN_ROW = int(os.environ.get("TASKBOERSE_FLAG_REJECTIONS_IN_ROW", "3"))
    FLAG_NO_APPLICATION_DAYS = int(os.environ.get("TASKBOERSE_FLAG_NO_APPLICATION_DAYS", "14"))
    # Statistics fold groups with fewer graduates than this into "other groups", so a
    # breakdown by education or cohort never singles out a person.
    STATS_MIN_GROUP = int(os.environ.get("TASKBOERSE_STATS_MIN_GROUP", "5"))
    # Retention: accounts unused this long are anonymised by `flask retention run`, after a
    # warning this many days before.
    RETENTION_MONTHS = int(os.environ.get("TASKBOERSE_RETENTION_MONTHS", "24"))
    RETENTION_NOTICE_DAYS = int(os.environ.get("TASKBOERSE_RETENTION_NOTICE_DAYS", "30"))
    # A signed-in user's last activity is written at most this often (minutes).
    ACTIVITY_RESOLUTION_MINUTES = 15
    # Where users reach the app: every email links to a page under this address.
    BASE_URL = os.environ.get("TASKBOERSE_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    # Messages: at most one email per thread per this many minutes while the reader has not
    # read it.
    MESSAGE_EMAIL_INTERVAL_MINUTES = 60
    # Background work (taskboerse/worker): the daily digest and the daily alerts go out from
    # this hour (Copenhagen time); weekly alerts on Mondays from that hour.
    DIGEST_HOUR = int(os.environ.get("TASKBOERSE_DIGEST_HOUR", "7"))
    ALERT_HOUR = int(os.environ.get("TASKBOERSE_ALERT_HOUR", "7"))
    # Reminders: this many days before an accepted task's deadline (and on the day); one
    # reminder to an owner whose applicants have waited this many days; an invitation
    # unanswered this many days expires with a notice to both sides.
    # No reminder goes out before this hour (Copenhagen time).
    REMINDER_HOUR = int(os.environ.get("TASKBOERSE_REMINDER_HOUR", "7"))
    REMINDER_DAYS_BEFORE = int(os.environ.get("TASKBOERSE_REMINDER_DAYS_BEFORE", "3"))
    APPLICANT_REMINDER_DAYS = int(os.environ.get("TASKBOERSE_APPLICANT_REMINDER_DAYS", "5"))
    INVITATION_EXPIRY_DAYS = int(os.environ.get("TASKBOERSE_INVITATION_EXPIRY_DAYS", "14"))
    # Mentoring: a request to a mentor unanswered this many days expires, and the
    # entrepreneur is pointed to the next candidates.
    MENTOR_REQUEST_DAYS = int(os.environ.get("TASKBOERSE_MENTOR_REQUEST_DAYS", "7"))
    # "New tasks that fit you": a recommendation at or above this score (0–1) is alerted.
    ALERT_RECOMMENDED_MIN_SCORE = float(
        os.environ.get("TASKBOERSE_ALERT_RECOMMENDED_MIN_SCORE", "0.6")
    )
    # Password reset: a link lives this long; requests are limited per address and account.
    PASSWORD_RESET_MINUTES = 60
    PASSWORD_RESET_RATE_LIMIT = os.environ.get(
        "TASKBOERSE_PASSWORD_RESET_RATE_LIMIT", "5 per 15 minutes"
    )
    PASSWORD_RESET_ACCOUNT_LIMIT = os.environ.get(
        "TASKBOERSE_PASSWORD_RESET_ACCOUNT_LIMIT", "3 per hour"
    )


class DevelopmentConfig(Config):
    """Local development: SQLite under instance/, a throwaway key, mail to the log."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class TestingConfig(Config):
    """Tests: cheap hashing, no CSRF or rate limits unless a test turns them on."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    # Still argon2id, only cheaper, so the suite stays fast.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    MAIL_BACKEND = "memory"
    EMBEDDER = "hashing"
    MATCHING_SYNC_SECONDS = 0.0
    MATCHING_WARM_UP = False
    BASE_URL = "https://taskboerse.test"


class ProductionConfig(Config):
    """Production: refuses to start without a real key and an explicit database."""

    ENV_NAME = "production"

    @classmethod
    def validate(cls) -> None:
        """Fail loudly when a setting production cannot do without is missing."""
        needed = ("SECRET_KEY", "DATABASE_URL", "TASKBOERSE_BASE_URL")
        missing = [name for name in needed if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                "ProductionConfig needs these environment variables: " + ", ".join(missing)
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """Pick the config class named by TASKBOERSE_ENV (development by default)."""
    name = os.environ.get("TASKBOERSE_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"TASKBOERSE_ENV={name!r} is unknown; use one of {', '.join(CONFIGS)}"
        ) from None
