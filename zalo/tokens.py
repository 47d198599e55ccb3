"""The OA's token pair (docs/zalo.md, tokens): stored, refreshed one process at a time, granted again.

The pair lives in the `ZaloToken` row. A refused token is refreshed once, by one process at a
time (a lease), and the new pair is committed before it is used, because Zalo's refresh tokens
work only once. When the pair is lost or dead, an OA admin grants access again in a browser
(OAuth v4 with PKCE): the console sends them to `consent_url(...)` and hands the code Zalo
returns to `ZaloTokens.exchange_code`. Tokens never reach a log or an exception message.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import secrets
import socket
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

import requests
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from config.settings import Settings
from storage.db import session_scope
from storage.leases import acquire_lease, release_lease
from storage.models import ZaloToken, utcnow
from zalo.errors import TOKEN_INVALID, ZaloError, ZaloTransportError, error_code, reply_body, scrub, transport_error

log = logging.getLogger(__name__)

TOKEN_ROW = 1
# One renewal at a time across processes. The lease outlives any OAuth call (timeouts ~13 s),
# so a holder that died frees it within a minute.
TOKEN_LEASE = "zalo-token"
TOKEN_LEASE_TTL = timedelta(seconds=60)
TOKEN_LEASE_WAIT = timedelta(seconds=30)
# How long this process sends with the access token it read before reading the row again (it is
# needed before every send). A token another process renewed meanwhile is refused once, and
# `refresh_tokens` then finds the stored one: no second renewal.
TOKEN_MEMORY_SECONDS = 10.0
# Seconds assumed when an OAuth reply lacks `expires_in`: short, so the token job refreshes soon.
FALLBACK_EXPIRES_IN = 3600
OAUTH_TOKEN_PATH = "/v4/oa/access_token"
OAUTH_CONSENT_PATH = "/v4/oa/permission"
# Random bytes in a PKCE verifier: 48 bytes are 64 URL-safe characters (RFC 7636 allows 43-128).
VERIFIER_BYTES = 48


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


class ZaloTokens:
    """The stored token pair, seeded from settings on first use and renewed through OAuth v4."""

    def __init__(self, settings: Settings, engine: Engine, http: requests.Session, timeout: tuple[float, float]):
        self.settings = settings
        self.engine = engine
        self.http = http
        self.timeout = timeout
        # Known only for calls made by this process; None until the first one.
        self.last_renewal: TokenRenewal | None = None
        self._remembered: tuple[str, float] | None = None  # (access token, monotonic time to forget it)

    def current_access_token(self) -> str:
        """The access token to send with: the stored one, as read at most TOKEN_MEMORY_SECONDS ago."""
        remembered = self._remembered
        if remembered is not None and time.monotonic() < remembered[1]:
            return remembered[0]
        return self._remember(self._stored().access_token)

    def _remember(self, access_token: str) -> str:
        self._remembered = (access_token, time.monotonic() + TOKEN_MEMORY_SECONDS)
        return access_token

    def _stored(self) -> ZaloToken:
        """The stored pair; on first use it is seeded from settings (ZALO_ACCESS_TOKEN/REFRESH_TOKEN).
        A plain read (no write lock): senders read it every TOKEN_MEMORY_SECONDS."""
        with session_scope(self.engine, read_only=True) as session:
            row = session.get(ZaloToken, TOKEN_ROW)
        return row if row is not None else self._seed()

    def _seed(self) -> ZaloToken:
        if not (self.settings.zalo_access_token and self.settings.zalo_refresh_token):
            raise ZaloError(TOKEN_INVALID, "no Zalo token: set ZALO_ACCESS_TOKEN and ZALO_REFRESH_TOKEN",
                            refresh_failed=True)
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
        self._stored()
        with self._renewing():
            row = self._stored()
            if row.access_token != stale_access_token:
                return self._remember(row.access_token)
            form = {"refresh_token": row.refresh_token, "app_id": self.settings.zalo_app_id,
                    "grant_type": "refresh_token"}
            pair = self._oauth(form, "token refresh", hidden=(row.refresh_token,))
            expires_at = self._save(pair)
        log.info("Zalo token pair refreshed; the access token expires at %s", expires_at.isoformat())
        return pair[0]

    def refresh_if_expiring(self, within: timedelta) -> bool:
        """For the scheduler's token job: refresh when the access token expires within `within`."""
        row = self._stored()
        if row.expires_at - utcnow() > within:
            return False
        self.refresh_tokens(row.access_token)
        return True

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

    def _save(self, pair: tuple[str, str, int]) -> datetime:
        """Commit the new pair (before anyone uses it); returns when its access token expires."""
        access, refresh, expires_in = pair
        now = utcnow()
        with session_scope(self.engine) as session:
            row = session.get(ZaloToken, TOKEN_ROW) or ZaloToken(id=TOKEN_ROW)
            row.access_token, row.refresh_token = access, refresh
            row.expires_at, row.updated_at = now + timedelta(seconds=expires_in), now
            session.add(row)
        self._remember(access)
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
            body = reply_body(response, what)
        except ZaloError as exc:
            raise ZaloError(exc.code, f"{what}: {exc.message}", refresh_failed=True) from None
        access, refresh = body.get("access_token"), body.get("refresh_token")
        if not access or not refresh:
            code = error_code(body) or -1
            reason = next((str(body[k]) for k in ("error_description", "error_reason", "error_name", "message")
                           if body.get(k)), "no access_token in the reply")
            log.error("Zalo %s refused (error %s): %s", what, code, scrub(reason, hidden))
            raise ZaloError(code, f"{what} refused: " + scrub(reason, hidden), refresh_failed=True)
        try:
            expires_in = int(body.get("expires_in"))
        except (TypeError, ValueError):
            expires_in = FALLBACK_EXPIRES_IN
        return str(access), str(refresh), expires_in
