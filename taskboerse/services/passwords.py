"""Password hashing with argon2id; the cost comes from the app config."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128

# A valid hash of a random password, verified against when the email is unknown so that a
# failed login takes as long whether or not the account exists.
_DUMMY_PASSWORD = "not-a-real-password-only-for-timing"


COMMON_PASSWORDS = Path(__file__).with_name("data") / "common_passwords.txt"


@cache
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def is_common_password(password: str) -> bool:
    """True when the password (in any case) is on the shipped list of the most used ones."""
    return password.strip().lower() in _common_passwords()


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
        type=Type.ID,
    )


def hash_password(password: str) -> str:
    """Hash ``password`` with argon2id."""
    return _hasher().hash(password)


def _dummy_hash(hasher: PasswordHasher) -> str:
    """One hash per app of a password nobody has, made once (the first unknown email), so
    a failed login costs one verification whether or not the account exists."""
    cached = current_app.extensions.get("taskboerse_dummy_hash")
    if cached is None:
        cached = current_app.extensions["taskboerse_dummy_hash"] = hasher.hash(_DUMMY_PASSWORD)
    return cached


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; an unknown user (None) costs the same work."""
    hasher = _hasher()
    try:
        if password_hash is None:
            hasher.verify(_dummy_hash(hasher), password)
            return False
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
