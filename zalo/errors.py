"""How Zalo fails, and what each failure means for the one who sent the request.

Every reply is read for `error`: Zalo fails inside HTTP 200. The error-code table lives here
and only here: callers ask a `ZaloError` what kind of failure it is rather than compare codes.
"""

from __future__ import annotations

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

# How Zalo's error codes change what a sender does (docs/zalo.md, sending); change them here only.
# The access token is invalid (-216) or expired (-220): refresh it once and send once more.
TOKEN_INVALID = -216
TOKEN_CODES = frozenset({TOKEN_INVALID, -220})
# Rate limited: back off and retry later.
RATE_CODES = frozenset({-32})
# The user has not interacted in the last 7 days: only a template message reaches them.
WINDOW_CODES = frozenset({-230, -232})
# Not a follower (-213), blocked the OA (-217), inactive over 45 days (-227), refuses this type (-244):
# retrying will not help; the office is told.
UNREACHABLE_CODES = frozenset({-213, -217, -227, -244})
# ZNS by phone: Zalo does not send between 22:00 and 06:00 (our reading of its code; the sender
# never tries then, but a clock off by a minute may): wait for 06:00.
ZNS_QUIET_CODES = frozenset({-1139})
# Any other code (e.g. -201, a field is invalid: a bug on our side) is permanent. For a template
# (by user id or by phone) any other code refuses that message that way: the next way is tried.


class ZaloError(Exception):
    """Zalo refused a request (`error` != 0), or answered with an HTTP error status."""

    def __init__(self, code: int, message: str, *, refresh_failed: bool = False):
        super().__init__(f"Zalo error {code}: {message}")
        self.code = code
        self.message = message
        # Parts of a long text already delivered before this failure.
        self.sent_ids: list[str] = []
        # The token could not be refreshed: retry later; an OA admin may have to grant access again.
        self.refresh_failed = refresh_failed

    @property
    def token_invalid(self) -> bool:
        return self.refresh_failed or self.code in TOKEN_CODES

    @property
    def rate_limited(self) -> bool:
        return self.code in RATE_CODES

    @property
    def outside_window(self) -> bool:
        return self.code in WINDOW_CODES

    @property
    def unreachable(self) -> bool:
        return self.code in UNREACHABLE_CODES

    @property
    def zns_quiet(self) -> bool:
        return self.code in ZNS_QUIET_CODES

    @property
    def permanent(self) -> bool:
        """A code the table does not name: retrying will not help."""
        return not (self.token_invalid or self.rate_limited or self.outside_window or self.unreachable
                    or self.zns_quiet)


class ZaloTransportError(Exception):
    """The network failed. `maybe_delivered` is False only when the request surely never reached Zalo."""

    def __init__(self, message: str, *, maybe_delivered: bool):
        super().__init__(message)
        self.maybe_delivered = maybe_delivered
        self.sent_ids: list[str] = []


_NEVER_SENT = (requests.exceptions.ConnectTimeout, requests.exceptions.SSLError, requests.exceptions.ProxyError,
               requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
               requests.exceptions.InvalidSchema, requests.exceptions.InvalidHeader)


def _never_sent(exc: requests.RequestException) -> bool:
    """True when the request cannot have reached Zalo (no connection was ever made)."""
    if isinstance(exc, _NEVER_SENT):
        return True
    reason = exc.args[0] if exc.args else None
    return isinstance(reason, MaxRetryError) and isinstance(reason.reason, NewConnectionError)


def transport_error(what: str, exc: requests.RequestException) -> ZaloTransportError:
    """A ZaloTransportError naming the failure by kind only (a requests error may carry the request)."""
    never_sent = _never_sent(exc)
    if isinstance(exc, requests.exceptions.ReadTimeout):
        kind = "no answer in time"
    else:
        kind = "could not connect" if never_sent else "connection lost"
    return ZaloTransportError(f"{what}: {kind} ({type(exc).__name__})", maybe_delivered=not never_sent)


def scrub(text: str, hidden: tuple[str, ...]) -> str:
    """`text` with each of `hidden` (tokens, codes, secrets) masked: fit for a log or an exception."""
    for secret in hidden:
        if secret:
            text = text.replace(secret, "***")
    return text


def error_code(body: dict) -> int:
    """The reply's `error` as an int (Zalo sends a number; a string is read too)."""
    try:
        return int(body.get("error") or 0)
    except (TypeError, ValueError):
        return -1


def reply_body(response: requests.Response, what: str) -> dict:
    """The reply's JSON object; an HTTP error status or a body that is not JSON is a failure."""
    if response.status_code >= 500:
        raise ZaloTransportError(f"{what}: HTTP {response.status_code}", maybe_delivered=True)
    if response.status_code != 200:
        raise ZaloError(response.status_code, f"HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ZaloTransportError(f"{what}: the reply is not a JSON object", maybe_delivered=True)
    return body
