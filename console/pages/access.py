"""Signing in to the console with the admin password, and out again; who is working in it."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for

from console import auth, queries
from console.pages.common import URL_PREFIX, current_settings, int_arg
from storage.models import utcnow
from zalo.runtime import current_runtime

log = logging.getLogger(__name__)

bp = Blueprint("access", __name__)


def _safe_next(target: str | None) -> str:
    """Only a console page of this site: never an address elsewhere."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not parts.path.startswith(URL_PREFIX) or target.startswith("//"):
        return url_for("console.dashboard.page")
    return target


def _clerks() -> list[queries.Clerk]:
    with current_runtime().session(read_only=True) as session:
        return queries.clerks(session)


def _chosen_clerk(form) -> dict | None:
    """The clerk picked in a form ("clerk": an officer id), or a name typed when none is listed."""
    chosen = int_arg("clerk", source=form)
    found = next((c for c in _clerks() if c.id == chosen), None) if chosen else None
    if found:
        return {"id": found.id, "name": found.name}
    typed = " ".join(form.get("clerk_name", "").split())[:120]
    return {"id": None, "name": typed} if typed else None


def _form(status: int = 200, error: str | None = None):
    return render_template("console/sign_in.html", next=request.values.get("next", ""), error=error,
                           clerks=_clerks()), status


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    password = current_settings().admin_password
    if not password:
        if auth.is_local(request.remote_addr, request.headers):
            return redirect(url_for("console.dashboard.page"))
        return render_template("console/sign_in.html"), 403
    if request.method == "GET":
        if auth.signed_in():
            return redirect(_safe_next(request.args.get("next")))
        return _form()
    address, now = request.remote_addr or "", utcnow()
    runtime = current_runtime()
    with runtime.session(read_only=True) as db:
        failures = auth.recent_failures(db, address, now)
    if auth.blocked(failures, now):
        return _form(429, "Đã nhập sai mật khẩu nhiều lần. Anh/chị đợi vài phút rồi thử lại.")
    if auth.password_matches(request.form.get("password", ""), password):
        auth.sign_in(_chosen_clerk(request.form))
        log.info("console: signed in from %s", address)
        return redirect(_safe_next(request.form.get("next")))
    with runtime.session() as db:
        auth.record_failure(db, address, now)
    log.warning("console: wrong password from %s", address)
    return _form(401, "Mật khẩu không đúng.")


@bp.post("/sign-out")
def sign_out():
    auth.sign_out()
    return redirect(url_for(".sign_in"))


@bp.route("/who", methods=["GET", "POST"])
def who():
    """«Người thao tác»: who is working, written into the history of what they change."""
    if request.method == "POST":
        auth.set_clerk(_chosen_clerk(request.form))
        flash("Đã ghi nhận người thao tác.", "ok")
        return redirect(_safe_next(request.form.get("next")))
    return render_template("console/who.html", clerks=_clerks(), next=request.args.get("next", ""))
