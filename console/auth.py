"""Who may use the console, and the CSRF token every POST form carries.

With `ADMIN_PASSWORD` set, a password opens a Flask session. With none set, the console opens
only to this machine itself (127.0.0.1): a request a reverse proxy relayed to us is not local,
even though it arrives from loopback, so it is refused too.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
from collections import deque
from collections.abc import Mapping

from flask import session

PROXY_HEADERS = ("X-Forwarded-For", "X-Real-Ip", "Forwarded")
_SIGNED_IN = "console_signed_in"
_CSRF = "console_csrf"


def is_local(remote_addr: str | None, headers: Mapping[str, str]) -> bool:
    """A request from this machine itself (and not relayed by a proxy running on it)."""
    try:
        loopback = ipaddress.ip_address(remote_addr or "").is_loopback
    except ValueError:
        return False
    return loopback and not any(name in headers for name in PROXY_HEADERS)


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison; an empty expected password matches nothing."""
    return bool(expected) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _marker(password: str) -> str:
    """What a signed-in session holds: keyed by the password, so that a cookie cannot be forged
    by someone who knows only the app's secret key, and a new password signs everyone out."""
    return hmac.new(password.encode("utf-8"), b"nhacviec-console", hashlib.sha256).hexdigest()


def sign_in(password: str) -> None:
    session.clear()
    session[_SIGNED_IN] = _marker(password)


def sign_out() -> None:
    session.clear()


def signed_in(password: str) -> bool:
    held = session.get(_SIGNED_IN)
    return bool(password) and isinstance(held, str) and hmac.compare_digest(held, _marker(password))


def csrf_token() -> str:
    """This session's token, made on first use."""
    if _CSRF not in session:
        session[_CSRF] = secrets.token_urlsafe(32)
    return session[_CSRF]


def csrf_valid(given: str | None) -> bool:
    expected = session.get(_CSRF)
    return bool(given and expected) and hmac.compare_digest(given.encode(), expected.encode())


class Throttle:
    """Wrong passwords per address: after `limit` of them within `window` seconds, that address
    waits until the oldest one is `window` old (guessing the password then takes years)."""

    def __init__(self, limit: int = 5, window: float = 300.0):
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def blocked(self, key: str, now: float) -> bool:
        with self._lock:
            return len(self._recent(key, now)) >= self.limit

    def failed(self, key: str, now: float) -> None:
        with self._lock:
            self._recent(key, now).append(now)
