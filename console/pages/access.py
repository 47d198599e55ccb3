"""Signing in to the console with the admin password, and out again."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from console import auth
from console.pages.common import URL_PREFIX, current_settings

log = logging.getLogger(__name__)

bp = Blueprint("access", __name__)


def _safe_next(target: str | None) -> str:
    """Only a console page of this site: never an address elsewhere."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not parts.path.startswith(URL_PREFIX) or target.startswith("//"):
        return url_for("console.dashboard.page")
    return target


def _throttle() -> auth.Throttle:
    """One per app: wrong passwords are counted where they are checked."""
    return current_app.extensions.setdefault("console_sign_in_throttle", auth.Throttle())


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    password = current_settings().admin_password
    if not password:
        if auth.is_local(request.remote_addr, request.headers):
            return redirect(url_for("console.dashboard.page"))
        return render_template("console/sign_in.html"), 403
    if request.method == "GET":
        if auth.signed_in(password):
            return redirect(_safe_next(request.args.get("next")))
        return render_template("console/sign_in.html", next=request.args.get("next", ""))
    address, now = request.remote_addr or "", time.monotonic()
    if _throttle().blocked(address, now):
        return render_template("console/sign_in.html", next=request.form.get("next", ""),
                               error="Đã nhập sai mật khẩu nhiều lần. Anh/chị đợi vài phút rồi thử lại."), 429
    if auth.password_matches(request.form.get("password", ""), password):
        auth.sign_in(password)
        log.info("console: signed in from %s", address)
        return redirect(_safe_next(request.form.get("next")))
    _throttle().failed(address, now)
    log.warning("console: wrong password from %s", address)
    return render_template("console/sign_in.html", next=request.form.get("next", ""),
                           error="Mật khẩu không đúng."), 401


@bp.post("/sign-out")
def sign_out():
    auth.sign_out()
    return redirect(url_for(".sign_in"))
