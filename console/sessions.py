"""The console's sessions, kept in the database (docs/console.md, sessions).

The browser holds only a random id (`HttpOnly`, `SameSite=Lax`, `Secure` over HTTPS); the
database holds its SHA-256 and what the session carries (signed in, who is working, the CSRF
token, messages for the next page). Signing out deletes the row, so a copied cookie is dead
too. Each row remembers which password and secret key it was opened under: changing either
signs everyone out. Sessions end after `IDLE` without use.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import request
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import delete
from werkzeug.datastructures import CallbackDict

from storage.models import ConsoleSession, utcnow

COOKIE = "nhacviec_console"
IDLE = timedelta(hours=12)
# A session nobody signed in with (the sign-in page's CSRF token) lives only this long.
ANONYMOUS = timedelta(hours=1)
# Known weak keys: the default and the example's placeholder.
WEAK_KEYS = {"dev-only-change-me", "change-me", "secret", ""}
MIN_KEY_LENGTH = 32


class WeakSecretKey(RuntimeError):
    """The console would run with a password but a guessable SECRET_KEY."""


def check_secret_key(settings) -> None:
    """Refuse to serve a password-protected console with a weak SECRET_KEY."""
    key = settings.secret_key
    if settings.admin_password and (key in WEAK_KEYS or len(key) < MIN_KEY_LENGTH or len(set(key)) < 10):
        raise WeakSecretKey(
            "ADMIN_PASSWORD is set but SECRET_KEY is missing or weak: set SECRET_KEY to a random value of at "
            f"least {MIN_KEY_LENGTH} characters (python -c 'import secrets; print(secrets.token_urlsafe(48))')")


def password_tag(settings) -> str:
    """What ties a session to the password and key it was opened under (never the password)."""
    return hmac.new(settings.secret_key.encode(), f"console:{settings.admin_password}".encode(),
                    hashlib.sha256).hexdigest()


def _key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class ConsoleSessionData(CallbackDict, SessionMixin):
    def __init__(self, initial=None, session_id: str | None = None):
        def on_update(_self):
            self.modified = True

        super().__init__(initial or {}, on_update)
        self.session_id = session_id
        self.new = session_id is None
        self.modified = False
        # Set on sign-in: the next response carries a new id (no session fixation).
        self.renew = False


class DatabaseSessions(SessionInterface):
    """Flask's session, stored in the `ConsoleSession` table of `runtime`'s database."""

    def __init__(self, runtime):
        self.runtime = runtime

    def open_session(self, app, request) -> ConsoleSessionData:
        session_id = request.cookies.get(COOKIE, "")
        if not session_id or len(session_id) > 128:
            return ConsoleSessionData()
        now = utcnow()
        with self.runtime.session(read_only=True) as db:
            row = db.get(ConsoleSession, _key(session_id))
        if row is None or row.expires_at <= now or not hmac.compare_digest(row.password_tag,
                                                                            password_tag(self.runtime.settings)):
            return ConsoleSessionData()
        return ConsoleSessionData(row.data, session_id)

    def save_session(self, app, session: ConsoleSessionData, response) -> None:
        secure = request.is_secure
        if not session:
            if session.session_id:
                self._forget(session.session_id)
                response.delete_cookie(COOKIE, path="/", secure=secure, httponly=True, samesite="Lax")
            return
        if not (session.modified or session.renew or session.new):
            return
        if session.renew and session.session_id:
            self._forget(session.session_id)
            session.session_id = None
        session_id = session.session_id or secrets.token_urlsafe(32)
        now = utcnow()
        lifetime = IDLE if session.get("signed_in") or not self.runtime.settings.admin_password else ANONYMOUS
        with self.runtime.session() as db:
            if session.session_id is None:
                db.execute(delete(ConsoleSession).where(ConsoleSession.expires_at <= now))
            row = db.get(ConsoleSession, _key(session_id)) or ConsoleSession(
                key=_key(session_id), password_tag=password_tag(self.runtime.settings), created_at=now,
                expires_at=now)
            row.data, row.expires_at = dict(session), now + lifetime
            db.add(row)
        response.set_cookie(COOKIE, session_id, path="/", secure=secure, httponly=True, samesite="Lax")

    def _forget(self, session_id: str) -> None:
        with self.runtime.session() as db:
            db.execute(delete(ConsoleSession).where(ConsoleSession.key == _key(session_id)))
