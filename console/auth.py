"""Who may use the console, who is working in it, and the CSRF token every POST form carries.

With `ADMIN_PASSWORD` set, a password opens a session (kept in the database: `console.sessions`).
With none set, the console answers only this machine itself: the request comes from loopback,
names a loopback host (a DNS-rebinding page names its own), comes from a loopback page if it
says where it comes from (`Origin`), and was not relayed by a proxy running here.

Wrong passwords are counted per client address in the database (`SignInFailure`), so the limit
holds across processes and restarts. Behind a reverse proxy the client address is the one the
proxy reports, for the proxies `TRUSTED_PROXIES` names (Werkzeug's ProxyFix); a request from
any other address is taken as it arrives, whatever headers it carries.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import session
from sqlalchemy import delete
from sqlmodel import Session, select
from werkzeug.middleware.proxy_fix import ProxyFix

from storage.models import SignInFailure

PROXY_HEADERS = ("X-Forwarded-For", "X-Real-Ip", "Forwarded")
MAX_WRONG_PASSWORDS = 5
WRONG_PASSWORD_WINDOW = timedelta(minutes=5)
_SIGNED_IN = "signed_in"
_CLERK = "clerk"
_CSRF = "console_csrf"


# --- this machine -------------------------------------------------------------------------------

def _loopback_address(text: str) -> bool:
    try:
        return ipaddress.ip_address(text.strip("[]")).is_loopback
    except ValueError:
        return False


def loopback_host(host: str) -> bool:
    """'127.0.0.1:8000', 'localhost', '[::1]:8000': a name only this machine answers to."""
    try:
        name = urlsplit(f"//{host}").hostname or ""
    except ValueError:
        return False
    return name == "localhost" or _loopback_address(name)


def is_local(remote_addr: str | None, headers: Mapping[str, str]) -> bool:
    """A request from this machine itself, to a loopback name, not relayed by a proxy on it."""
    origin = headers.get("Origin")
    return (_loopback_address(remote_addr or "")
            and not any(name in headers for name in PROXY_HEADERS)
            and loopback_host(headers.get("Host", ""))
            and (origin is None or loopback_host(urlsplit(origin).netloc)))


class TrustedProxies:
    """ProxyFix (one hop: the client address, scheme and host) for requests arriving from one of
    the named proxies; every other request as it arrives."""

    def __init__(self, app, proxies: tuple[str, ...]):
        self.app = app
        self.fixed = ProxyFix(app, x_for=1, x_proto=1, x_host=1)
        self.networks = [ipaddress.ip_network(p, strict=False) for p in proxies]

    def __call__(self, environ, start_response):
        try:
            peer = ipaddress.ip_address(environ.get("REMOTE_ADDR", ""))
        except ValueError:
            peer = None
        if peer is not None and any(peer in network for network in self.networks):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)


# --- passwords ----------------------------------------------------------------------------------

def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison; an empty expected password matches nothing."""
    return bool(expected) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def blocked(failures: list[datetime], now: datetime) -> bool:
    """After `MAX_WRONG_PASSWORDS` within the window, an address waits until the oldest of them
    is a window old (guessing the password then takes years)."""
    return sum(1 for at in failures if at > now - WRONG_PASSWORD_WINDOW) >= MAX_WRONG_PASSWORDS


def recent_failures(db: Session, address: str, now: datetime) -> list[datetime]:
    return list(db.exec(select(SignInFailure.at).where(SignInFailure.address == address[:64],
                                                       SignInFailure.at > now - WRONG_PASSWORD_WINDOW)))


def record_failure(db: Session, address: str, now: datetime) -> None:
    """Count a wrong password; those older than the window are forgotten."""
    db.execute(delete(SignInFailure).where(SignInFailure.at <= now - WRONG_PASSWORD_WINDOW))
    db.add(SignInFailure(address=address[:64], at=now))


# --- the session ---------------------------------------------------------------------------------

def sign_in(clerk: dict | None) -> None:
    """A fresh session (new id) for whoever signed in; `clerk`: {"id", "name"} of who is working."""
    session.clear()
    session[_SIGNED_IN] = True
    session.renew = True
    set_clerk(clerk)


def sign_out() -> None:
    session.clear()


def signed_in() -> bool:
    return session.get(_SIGNED_IN) is True


def set_clerk(clerk: dict | None) -> None:
    if clerk:
        session[_CLERK] = {"id": clerk.get("id"), "name": str(clerk.get("name", ""))[:255]}
    else:
        session.pop(_CLERK, None)


def clerk() -> dict | None:
    """Who is working in the console (chosen at sign-in or on «Người thao tác»), if known."""
    found = session.get(_CLERK)
    return found if isinstance(found, dict) and found.get("name") else None


def csrf_token() -> str:
    """This session's token, made on first use."""
    if _CSRF not in session:
        session[_CSRF] = secrets.token_urlsafe(32)
    return session[_CSRF]


def csrf_valid(given: str | None) -> bool:
    expected = session.get(_CSRF)
    return bool(given and expected) and hmac.compare_digest(given.encode(), expected.encode())
