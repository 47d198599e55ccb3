"""The stand-in's token pair and OAuth v4 (docs/zalo.md, tokens): refresh tokens and authorization codes
work once, a new pair kills the old one, and an OA admin's grant is checked with PKCE (S256)."""

from __future__ import annotations

import hmac
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dev.standin.hashing import s256_challenge
from dev.standin.rules import (
    INVALID_PARAM,
    OAUTH_BAD_APP,
    OAUTH_BAD_CODE,
    OAUTH_BAD_GRANT,
    OAUTH_BAD_REFRESH_TOKEN,
    OAUTH_BAD_SECRET,
    OAUTH_BAD_VERIFIER,
    TOKEN_INVALID,
    StandinError,
)

OAUTH_PATH = "/v4/oa/access_token"
CONSENT_PATH = "/v4/oa/permission"
# The OA admin's grant (OAuth v4 with PKCE, S256 only): an authorization code works once, for this long.
AUTH_CODE_TTL = timedelta(minutes=10)
PKCE_VERIFIER = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")  # RFC 7636
PKCE_CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # base64url of a SHA-256, unpadded
# Assumption (not in Zalo's documentation): a refused consent comes back as ?error=access_denied&state=…
CONSENT_REFUSED = "access_denied"


def same(given: str | None, expected: str) -> bool:
    """A constant-time comparison of a secret someone presented with the one held."""
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


@dataclass(frozen=True)
class ConsentRequest:
    """An app asking an OA admin for access, as read from the consent page's query."""

    redirect_uri: str
    code_challenge: str
    state: str


def with_query(url: str, params: dict) -> str:
    """`url` with `params` added to its query (whatever query it already had is kept)."""
    parts = urlsplit(url)
    query = urlencode([*parse_qsl(parts.query, keep_blank_values=True), *params.items()])
    return urlunsplit(parts._replace(query=query))


class TokenDesk:
    """Thread-safe keeper of the one live token pair and the authorization codes not yet spent."""

    def __init__(self, config: dict, clock: Callable[[], datetime]):
        self.app_id, self.oa_id = config["APP_ID"], config["OA_ID"]
        self._app_secret = config["APP_SECRET"]
        self._ttl = int(config["TOKEN_TTL"])
        self._clock = clock
        self._lock = threading.Lock()
        self._access = config["ACCESS_TOKEN"] or secrets.token_urlsafe(32)
        self._refresh = config["REFRESH_TOKEN"] or secrets.token_urlsafe(32)
        self._access_expires = clock() + timedelta(seconds=self._ttl)
        self._codes: dict[str, tuple[str, datetime]] = {}  # authorization code -> (challenge, expires)

    def current(self) -> dict:
        with self._lock:
            return {"access_token": self._access, "refresh_token": self._refresh,
                    "expires_at": self._access_expires}

    def expire(self) -> None:
        with self._lock:
            self._access_expires = self._clock() - timedelta(seconds=1)

    def authorize(self, token: str | None) -> None:
        """An OpenAPI request's `access_token`: the live one, not expired."""
        with self._lock:
            if not same(token, self._access):
                raise StandinError(TOKEN_INVALID, "Access token is invalid")
            if self._clock() >= self._access_expires:
                raise StandinError(TOKEN_INVALID, "Access token has expired")

    def consent_request(self, args) -> ConsentRequest:
        """The consent page's query checked: our app, an http(s) redirect_uri, an S256 challenge."""
        if args.get("app_id") != self.app_id:
            raise StandinError(OAUTH_BAD_APP, "Invalid app id")
        redirect_uri = str(args.get("redirect_uri") or "")
        parts = urlsplit(redirect_uri)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise StandinError(INVALID_PARAM, "redirect_uri must be an http(s) address")
        challenge = str(args.get("code_challenge") or "")
        if not PKCE_CHALLENGE.match(challenge):
            raise StandinError(INVALID_PARAM, "code_challenge must be base64url(sha256(code_verifier))")
        return ConsentRequest(redirect_uri, challenge, str(args.get("state") or ""))

    def approve(self, consent: ConsentRequest) -> str:
        """The OA admin allowed access: where Zalo sends the browser, with a fresh single-use code."""
        code, now = secrets.token_urlsafe(32), self._clock()
        with self._lock:
            self._codes = {c: held for c, held in self._codes.items() if held[1] > now}  # forget dead codes
            self._codes[code] = (consent.code_challenge, now + AUTH_CODE_TTL)
        return with_query(consent.redirect_uri, {"code": code, "state": consent.state, "oa_id": self.oa_id})

    @staticmethod
    def refuse(consent: ConsentRequest) -> str:
        return with_query(consent.redirect_uri, {"error": CONSENT_REFUSED, "state": consent.state})

    def grant(self, secret_key: str | None, form: dict) -> dict:
        """OAuth v4 token endpoint: a refresh token or an authorization code works once, and the
        pair it brings supersedes the old one, which dies."""
        with self._lock:
            try:
                self._check_grant(secret_key, form)
            except StandinError as exc:
                return {"error": exc.code, "error_name": "Invalid parameter", "error_reason": exc.message,
                        "error_description": exc.message}
            self._access = secrets.token_urlsafe(32)
            self._refresh = secrets.token_urlsafe(32)
            self._access_expires = self._clock() + timedelta(seconds=self._ttl)
            return {"access_token": self._access, "refresh_token": self._refresh, "expires_in": str(self._ttl)}

    def _check_grant(self, secret_key: str | None, form: dict) -> None:
        """The app's secret, its id and the refresh token or code presented (caller holds the lock)."""
        if not same(secret_key, self._app_secret):
            raise StandinError(OAUTH_BAD_SECRET, "Invalid secret key")
        if form.get("app_id") != self.app_id:
            raise StandinError(OAUTH_BAD_APP, "Invalid app id")
        if form.get("grant_type") == "refresh_token":
            if not same(form.get("refresh_token"), self._refresh):
                raise StandinError(OAUTH_BAD_REFRESH_TOKEN, "Invalid refresh token")
        elif form.get("grant_type") == "authorization_code":
            self._redeem(form.get("code"), form.get("code_verifier"))
        else:
            raise StandinError(OAUTH_BAD_GRANT, "Unsupported grant type")

    def _redeem(self, code: str | None, verifier: str | None) -> None:
        """Spend an authorization code (caller holds the lock): presented once, right or wrong."""
        challenge, expires = self._codes.pop(code or "", (None, None))
        if challenge is None or self._clock() >= expires:
            raise StandinError(OAUTH_BAD_CODE, "Invalid or expired authorization code")
        if not PKCE_VERIFIER.match(verifier or "") or not same(s256_challenge(verifier), challenge):
            raise StandinError(OAUTH_BAD_VERIFIER, "Invalid code verifier")
