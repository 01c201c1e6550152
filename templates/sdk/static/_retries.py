"""The retry policy: which failures are retried, and how long to wait between attempts."""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass, field, replace

import httpx


@dataclass(frozen=True)
class RetryConfig:
    """Exponential backoff with jitter, capped per wait and in total; times in seconds."""

    max_retries: int = 8
    initial_interval: float = 0.5
    max_interval: float = 60.0
    max_elapsed_time: float = 3600.0
    exponent: float = 1.5
    status_codes: tuple[str, ...] = ("408", "429", "5XX")
    retry_connection_errors: bool = True
    jitter: float = 0.25
    random: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    def with_max_retries(self, max_retries: int) -> RetryConfig:
        """The same policy with another cap on the number of retries."""
        return replace(self, max_retries=max_retries)

    def retries_status(self, status_code: int) -> bool:
        """True when the policy lists this status, exactly or as a family such as `5XX`."""
        code = str(status_code)
        return any(
            pattern == code or (pattern.endswith("XX") and code[:1] == pattern[:1]) for pattern in self.status_codes
        )

    def delay(self, retry: int, response: httpx.Response | None = None) -> float:
        """Seconds to wait before retry number `retry` (0-based); the server's Retry-After wins."""
        advised = _retry_after(response) if response is not None else None
        if advised is not None:
            return min(advised, self.max_interval)
        base = min(self.max_interval, self.initial_interval * self.exponent**retry)
        return base * (1 - self.jitter * self.random.random())

    def allows(self, retry: int, elapsed: float, wait: float) -> bool:
        """True while both the count and the total time the policy allows are not used up."""
        return retry < self.max_retries and elapsed + wait <= self.max_elapsed_time


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    # ASCII digits only: `str.isdigit` also takes `²` and other digits `float` refuses.
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())
