"""The Zalo OA client: sending, uploading, profiles and the token pair (zalo-oa.md §2, §4).

Every reply is read for `error` (Zalo fails inside HTTP 200). The token pair lives in the
`ZaloToken` row; a refused token is refreshed once, by one process at a time, and the new pair
is committed before it is used, because Zalo's refresh tokens work only once. When the pair is
lost or dead, an OA admin grants access again in a browser (OAuth v4 with PKCE): the console
sends them to `consent_url(...)` and hands the code Zalo returns to `exchange_code`.
Tokens never reach a log or an exception message.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import mimetypes
import os
import secrets
import socket
import threading
import time
import unicodedata
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import requests
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from urllib3.exceptions import MaxRetryError, NewConnectionError

from config.settings import Settings
from storage.db import session_scope
from storage.leases import acquire_lease, release_lease
from storage.models import ZaloToken, utcnow

log = logging.getLogger(__name__)

TEXT_LIMIT = 2000
TOKEN_ROW = 1
# One renewal at a time across processes. The lease outlives any OAuth call (timeouts ~13 s),
# so a holder that died frees it within a minute.
TOKEN_LEASE = "zalo-token"
TOKEN_LEASE_TTL = timedelta(seconds=60)
TOKEN_LEASE_WAIT = timedelta(seconds=30)
# How Zalo's error codes change what a sender does (zalo-oa.md §2); change them here only.
TOKEN_CODES = frozenset({-216, -220})
RATE_CODES = frozenset({-32})
WINDOW_CODES = frozenset({-230, -232})
UNREACHABLE_CODES = frozenset({-213, -217, -227, -244})
# Seconds assumed when an OAuth reply lacks `expires_in`: short, so the token job refreshes soon.
FALLBACK_EXPIRES_IN = 3600
OAUTH_TOKEN_PATH = "/v4/oa/access_token"
OAUTH_CONSENT_PATH = "/v4/oa/permission"
# Random bytes in a PKCE verifier: 48 bytes are 64 URL-safe characters (RFC 7636 allows 43-128).
VERIFIER_BYTES = 48


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
        """The user has not interacted for 7 days: only a template message reaches them."""
        return self.code in WINDOW_CODES

    @property
    def unreachable(self) -> bool:
        """Not a follower, blocked the OA, inactive or refuses this type: do not retry; tell the office."""
        return self.code in UNREACHABLE_CODES

    @property
    def permanent(self) -> bool:
        """Anything else (e.g. -201, a bug on our side): retrying will not help."""
        return not (self.token_invalid or self.rate_limited or self.outside_window or self.unreachable)


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


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _error_code(body: dict) -> int:
    """The reply's `error` as an int (Zalo sends a number; a string is read too)."""
    try:
        return int(body.get("error") or 0)
    except (TypeError, ValueError):
        return -1


def _text_units(text: str) -> int:
    """Length as Zalo may count it (UTF-16 code units): never less than the number of characters."""
    return len(text.encode("utf-16-le")) // 2


def _hard_split(line: str, limit: int) -> list[str]:
    """Cut one overlong line into pieces within `limit`, preferring to cut after a space."""
    pieces, current, size = [], [], 0
    for char in line:
        units = _text_units(char)
        if size + units > limit:
            piece = "".join(current)
            cut = piece.rfind(" ")
            if cut > limit // 2:
                pieces.append(piece[:cut])
                current = list(piece[cut + 1:])
            else:
                pieces.append(piece)
                current = []
            size = _text_units("".join(current))
        current.append(char)
        size += units
    pieces.append("".join(current))
    return pieces


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Parts of at most `limit` units each, cut at line boundaries (an overlong line is cut inside)."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in _hard_split(line, limit) if _text_units(line) > limit else [line]:
            joined = f"{current}\n{piece}" if current else piece
            if current and _text_units(joined) > limit:
                parts.append(current)
                joined = piece
            current = joined
    parts.append(current)
    return [part.strip("\n") for part in parts if part.strip()]


def buttons_attachment(buttons: list[dict]) -> dict:
    """Quick-reply buttons: tapping one sends its payload back as the user's text."""
    return {"type": "template", "payload": {"buttons": [
        {"title": b["title"], "type": b.get("type", "oa.query.show"), "payload": b["payload"]} for b in buttons]}}


def image_attachment(attachment_id: str) -> dict:
    return {"type": "template", "payload": {"template_type": "media",
                                            "elements": [{"media_type": "image", "attachment_id": attachment_id}]}}


def new_code_verifier() -> str:
    """A fresh PKCE `code_verifier`: 64 characters of [A-Za-z0-9_-], from `secrets`."""
    return secrets.token_urlsafe(VERIFIER_BYTES)


def code_challenge(verifier: str) -> str:
    """The PKCE S256 `code_challenge`: base64url(sha256(verifier)) without `=` padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def consent_url(oauth_base: str, app_id: str, redirect_uri: str, challenge: str, state: str) -> str:
    """Zalo's page where an OA admin grants the app access; Zalo then sends the browser to
    `redirect_uri?code=…&state=…&oa_id=…`."""
    query = urlencode({"app_id": app_id, "redirect_uri": redirect_uri, "code_challenge": challenge, "state": state})
    return f"{oauth_base.rstrip('/')}{OAUTH_CONSENT_PATH}?{query}"


@dataclass(frozen=True)
class TokenRenewal:
    """How this process's last OAuth call went (for the console); `error` is None when it worked."""

    at: datetime
    grant: str  # "refresh_token" or "authorization_code"
    error: str | None = None


class RateLimiter:
    """Spaces calls evenly so that no minute ever holds more than `per_minute` of them.

    It aims 1% below the limit: requests bunch up on the way, and Zalo counts on its own clock.
    """

    HEADROOM = 0.99

    def __init__(self, per_minute: int):
        self.interval = 60.0 / (per_minute * self.HEADROOM)
        self._next = time.monotonic()
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            slot = max(self._next, now)
            self._next = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


class ZaloClient:
    """Talks to Zalo (or the stand-in) at the base URLs in settings."""

    def __init__(self, settings: Settings, engine: Engine, http: requests.Session | None = None):
        self.settings = settings
        self.engine = engine
        self.http = http or self._pooled_session(settings.send_concurrency)
        self.timeout = (settings.http_connect_timeout, settings.http_read_timeout)
        self.limiter = RateLimiter(settings.send_rate_per_minute)
        # Known only for calls made by this process; None until the first one.
        self.last_renewal: TokenRenewal | None = None

    @staticmethod
    def _pooled_session(connections: int) -> requests.Session:
        """Enough kept-alive connections for every concurrent sender thread."""
        session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=max(10, connections))
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session

    # --- sending ---------------------------------------------------------------------------------

    def send_text(self, user_id: str, text: str, *, buttons: list[dict] | None = None,
                  quote_message_id: str | None = None, skip_parts: int = 0) -> list[str]:
        """Send a text (in parts when over 2,000 characters); returns Zalo's message id of each part.

        The quote goes on the first part, the buttons on the last. When a part fails, the
        exception's `sent_ids` holds the parts delivered by this call; a retry passes how many
        parts went out before as `skip_parts`, so that none of them is sent twice.
        """
        parts = split_text(unicodedata.normalize("NFC", text))
        if not parts:
            raise ValueError("cannot send an empty text")
        sent: list[str] = []
        for index, part in enumerate(parts):
            if index < skip_parts:
                continue
            message: dict = {"text": part}
            if quote_message_id and index == 0:
                message["quote_message_id"] = quote_message_id
            if buttons and index == len(parts) - 1:
                message["attachment"] = buttons_attachment(buttons)
            try:
                sent.append(self._send_cs(user_id, message))
            except (ZaloError, ZaloTransportError) as exc:
                exc.sent_ids = list(sent)
                raise
        return sent

    def send_image(self, user_id: str, attachment_id: str, text: str = "") -> str:
        message: dict = {"attachment": image_attachment(attachment_id)}
        if text:
            message["text"] = unicodedata.normalize("NFC", text)
        return self._send_cs(user_id, message)

    def send_template(self, user_id: str, template_id: str, template_data: dict) -> str:
        """A pre-approved template message by user id: reaches users outside the 7-day window."""
        data = self._api("POST", "/v3.0/oa/message/template",
                         json={"user_id": user_id, "template_id": template_id, "template_data": template_data})
        return self._message_id(data, "message/template")

    def upload_image(self, path: str | Path) -> str:
        """Upload a JPG/PNG (at most 1 MB); returns the attachment_id for `send_image`."""
        path = Path(path)
        content = path.read_bytes()
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = self._api("POST", "/v3.0/oa/upload/image", files={"file": (path.name, content, mime)})
        if not data.get("attachment_id"):
            raise ZaloError(-1, "upload reply has no attachment_id")
        return str(data["attachment_id"])

    def user_detail(self, user_id: str) -> dict:
        return self._api("GET", "/v3.0/oa/user/detail", params={"data": json.dumps({"user_id": user_id})})

    def _send_cs(self, user_id: str, message: dict) -> str:
        data = self._api("POST", "/v3.0/oa/message/cs", json={"recipient": {"user_id": user_id}, "message": message})
        return self._message_id(data, "message/cs")

    @staticmethod
    def _message_id(data: dict, what: str) -> str:
        message_id = data.get("message_id") or data.get("msg_id")
        if not message_id:
            # Zalo said success, so the message most likely went out; we just cannot name it.
            raise ZaloTransportError(f"{what}: success without a message id", maybe_delivered=True)
        return str(message_id)

    # --- requests --------------------------------------------------------------------------------

    def _api(self, method: str, path: str, **kwargs) -> dict:
        """One OpenAPI call; on a refused token, refresh once and send once more."""
        token = self.current_access_token()
        try:
            return self._call(method, path, token, **kwargs)
        except ZaloError as exc:
            if not exc.token_invalid:
                raise
            log.info("Zalo refused the access token (error %s) on %s; refreshing", exc.code, path)
        try:
            token = self.refresh_tokens(token)
        except ZaloTransportError as exc:
            # Whatever became of the refresh, this request itself was refused: it was not delivered.
            exc.maybe_delivered = False
            raise
        return self._call(method, path, token, **kwargs)

    def _call(self, method: str, path: str, token: str, **kwargs) -> dict:
        url = self.settings.zalo_api_base.rstrip("/") + path
        self.limiter.wait()
        try:
            response = self.http.request(method, url, headers={"access_token": token}, timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise transport_error(path, exc) from None
        body = self._json(response, path)
        code = _error_code(body)
        if code != 0:
            raise ZaloError(code, _scrub(str(body.get("message") or ""), (token,)))
        data = body.get("data")
        return data if isinstance(data, dict) else {}

    @staticmethod
    def _json(response: requests.Response, what: str) -> dict:
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

    # --- tokens ----------------------------------------------------------------------------------

    def current_access_token(self) -> str:
        return self._stored_token().access_token

    def _stored_token(self) -> ZaloToken:
        """The stored pair; on first use it is seeded from settings (ZALO_ACCESS_TOKEN/REFRESH_TOKEN)."""
        with session_scope(self.engine) as session:
            row = session.get(ZaloToken, TOKEN_ROW)
        return row if row is not None else self._seed()

    def _seed(self) -> ZaloToken:
        if not (self.settings.zalo_access_token and self.settings.zalo_refresh_token):
            raise ZaloError(-216, "no Zalo token: set ZALO_ACCESS_TOKEN and ZALO_REFRESH_TOKEN", refresh_failed=True)
        now = utcnow()
        try:
            with session_scope(self.engine, write_lock=True) as session:
                row = session.get(ZaloToken, TOKEN_ROW)
                if row is None:
                    # Its age is unknown: call it expiring, so the token job refreshes it soon.
                    row = ZaloToken(id=TOKEN_ROW, access_token=self.settings.zalo_access_token,
                                    refresh_token=self.settings.zalo_refresh_token, expires_at=now, updated_at=now)
                    session.add(row)
        except IntegrityError:  # another process seeded it first (PostgreSQL)
            with session_scope(self.engine) as session:
                row = session.get(ZaloToken, TOKEN_ROW)
        return row

    def refresh_tokens(self, stale_access_token: str) -> str:
        """A working access token after `stale_access_token` was refused; one refresh at a time.

        Holding the token lease: if the stored token is no longer the stale one, someone already
        refreshed, so theirs is used; otherwise OAuth is called (no transaction open, so nobody
        else waits on the database) and the new pair committed before it is returned.
        """
        self._stored_token()
        with self._renewing():
            row = self._stored_token()
            if row.access_token != stale_access_token:
                return row.access_token
            form = {"refresh_token": row.refresh_token, "app_id": self.settings.zalo_app_id,
                    "grant_type": "refresh_token"}
            pair = self._oauth(form, "token refresh", hidden=(row.refresh_token,))
            expires_at = self._save(pair)
        log.info("Zalo token pair refreshed; the access token expires at %s", expires_at.isoformat())
        return pair[0]

    def exchange_code(self, code: str, code_verifier: str) -> None:
        """Store the pair Zalo gives for an OA admin's fresh grant, replacing whatever pair was held.

        Done holding the same lease as a refresh, so a refresh running meanwhile cannot
        overwrite the new pair with one Zalo has already superseded.
        """
        form = {"code": code, "app_id": self.settings.zalo_app_id, "grant_type": "authorization_code",
                "code_verifier": code_verifier}
        with self._renewing():
            pair = self._oauth(form, "authorization code exchange", hidden=(code, code_verifier))
            expires_at = self._save(pair)
        log.info("Zalo access granted again by an OA admin; the access token expires at %s", expires_at.isoformat())

    @contextmanager
    def _renewing(self):
        """Hold the token lease (across processes), waiting while another holder renews."""
        holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        deadline = time.monotonic() + TOKEN_LEASE_WAIT.total_seconds()
        while not acquire_lease(self.engine, TOKEN_LEASE, holder, TOKEN_LEASE_TTL):
            if time.monotonic() > deadline:
                raise ZaloTransportError("the Zalo token is being renewed elsewhere; try again", maybe_delivered=False)
            time.sleep(0.05)
        try:
            yield
        finally:
            release_lease(self.engine, TOKEN_LEASE, holder)

    def refresh_if_expiring(self, within: timedelta) -> bool:
        """For the scheduler's token job: refresh when the access token expires within `within`."""
        row = self._stored_token()
        if row.expires_at - utcnow() > within:
            return False
        self.refresh_tokens(row.access_token)
        return True

    def _save(self, pair: tuple[str, str, int]) -> datetime:
        """Commit the new pair (before anyone uses it); returns when its access token expires."""
        access, refresh, expires_in = pair
        now = utcnow()
        with session_scope(self.engine) as session:
            row = session.get(ZaloToken, TOKEN_ROW) or ZaloToken(id=TOKEN_ROW)
            row.access_token, row.refresh_token = access, refresh
            row.expires_at, row.updated_at = now + timedelta(seconds=expires_in), now
            session.add(row)
        return row.expires_at

    def _oauth(self, form: dict, what: str, *, hidden: tuple[str, ...]) -> tuple[str, str, int]:
        """POST one OAuth v4 grant, noting how it went in `last_renewal`; see `_oauth_reply`."""
        try:
            pair = self._oauth_reply(form, what, hidden + (self.settings.zalo_app_secret,))
        except (ZaloError, ZaloTransportError) as exc:
            self.last_renewal = TokenRenewal(utcnow(), form["grant_type"], str(exc))
            raise
        self.last_renewal = TokenRenewal(utcnow(), form["grant_type"])
        return pair

    def _oauth_reply(self, form: dict, what: str, hidden: tuple[str, ...]) -> tuple[str, str, int]:
        """(access, refresh, expires_in seconds) from Zalo's token endpoint.

        A reply without both tokens is a failure, reported with Zalo's code and description;
        `hidden` is scrubbed from anything that may be logged or raised.
        """
        settings = self.settings
        url = settings.zalo_oauth_base.rstrip("/") + OAUTH_TOKEN_PATH
        try:
            response = self.http.post(url, data=form, headers={"secret_key": settings.zalo_app_secret},
                                      timeout=self.timeout)
        except requests.RequestException as exc:
            raise transport_error(what, exc) from None
        try:
            body = self._json(response, what)
        except ZaloError as exc:
            raise ZaloError(exc.code, f"{what}: {exc.message}", refresh_failed=True) from None
        access, refresh = body.get("access_token"), body.get("refresh_token")
        if not access or not refresh:
            code = _error_code(body) or -1
            reason = next((str(body[k]) for k in ("error_description", "error_reason", "error_name", "message")
                           if body.get(k)), "no access_token in the reply")
            log.error("Zalo %s refused (error %s): %s", what, code, _scrub(reason, hidden))
            raise ZaloError(code, f"{what} refused: " + _scrub(reason, hidden), refresh_failed=True)
        try:
            expires_in = int(body.get("expires_in"))
        except (TypeError, ValueError):
            expires_in = FALLBACK_EXPIRES_IN
        return str(access), str(refresh), expires_in
