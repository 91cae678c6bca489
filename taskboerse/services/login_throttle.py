"""Per-account login throttle: after a few wrong passwords, a delay that grows with each
further failure, instead of a flat hour of refusals.

Anyone who knows an email address can type wrong passwords for it. A flat lockout would
then shut the real owner out for as long as the stranger keeps trying; a growing delay
slows guessing just as well (five tries, then one per minute, two, four … at most one per
fifteen minutes). Only one attempt is let through when a delay runs out, however many
arrive at once (the claim is an atomic increment). The owner's own browser, once it has
logged in, carries a device cookie and is counted apart (web/access.py), so a
stranger's failures never delay it; a correct password ends the delay. Counts live in the
rate limiter's storage (Redis in production), so every worker process sees the same
count. The key is a hash of the email as the account lookup normalises it, never the
address itself.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from limits.storage import Storage, storage_from_string

from taskboerse.services.accounts import lookup_key


def account_key(email: str) -> str:
    """A short hash of the email in the form accounts are looked up by (NFKC, IDNA-decoded,
    lower-case), so every spelling that reaches one account shares one count."""
    return hashlib.sha256(lookup_key(email).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Policy:
    """How many failures go free, the first delay and the cap (seconds), and how long a run
    of failures is remembered."""

    free_failures: int = 5
    first_delay: int = 60
    max_delay: int = 900
    memory: int = 24 * 3600

    def delay_after(self, failures: int) -> int:
        """Seconds to wait after ``failures`` failures in a row (0 while they go free)."""
        if failures < self.free_failures:
            return 0
        return min(self.first_delay * 2 ** (failures - self.free_failures), self.max_delay)


class LoginThrottle:
    """The growing delay for each account, kept in a ``limits`` storage."""

    def __init__(self, storage: Storage, policy: Policy, prefix: str = "taskboerse") -> None:
        self.storage, self.policy, self.prefix = storage, policy, prefix

    @classmethod
    def from_uri(cls, uri: str, policy: Policy, prefix: str = "taskboerse") -> LoginThrottle:
        """A throttle on the storage named by a rate-limit storage URI ("memory://", Redis)."""
        return cls(storage_from_string(uri), policy, prefix)

    def _keys(self, account: str) -> tuple[str, str]:
        return f"{self.prefix}/login-failures/{account}", f"{self.prefix}/login-wait/{account}"

    def _remaining(self, key: str) -> int:
        return max(1, round(self.storage.get_expiry(key) - time.time()))

    def claim_attempt(self, account: str) -> int:
        """0 when this request may try a password for the account now; otherwise how many
        seconds it must wait. Once failures are no longer free, exactly one attempt per
        delay gets 0: the one whose increment of the wait key comes first."""
        failures_key, wait = self._keys(account)
        if self.storage.get(failures_key) < self.policy.free_failures:
            return 0
        if self.storage.incr(wait, self.policy.first_delay) == 1:
            return 0  # the delay ran out and this request is the first to come
        return self._remaining(wait)

    def failed(self, account: str) -> int:
        """Count a wrong password; returns the delay it starts (0 while failures go free)."""
        failures_key, wait = self._keys(account)
        failures = self.storage.incr(failures_key, self.policy.memory)
        delay = self.policy.delay_after(failures)
        if delay:
            self.storage.clear(wait)
            self.storage.incr(wait, delay)
        return delay

    def succeeded(self, account: str) -> None:
        """A correct password: the run of failures is forgotten."""
        for key in self._keys(account):
            self.storage.clear(key)
