"""The delivery log: every message the bot queued for Zalo, filtered and paged."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from console import queries
from storage.models import utcnow
from zalo.outbox import resend_uncertain
from zalo.runtime import current_runtime

bp = Blueprint("deliveries", __name__)

PER_PAGE = 50


@bp.get("/deliveries")
def page():
    flt = queries.LogFilter.from_args(request.args)
    with current_runtime().session(read_only=True) as session:
        log = queries.delivery_log(session, flt, per_page=PER_PAGE)
    return render_template("console/deliveries.html", log=log, flt=flt)


@bp.post("/deliveries/<int:message_id>/resend")
def resend(message_id: int):
    """«Gửi lại»: Zalo could not say for an hour whether the message arrived; the office sends it again."""
    runtime = current_runtime()
    with runtime.session() as session:
        resent = resend_uncertain(session, message_id, utcnow())
    if resent:
        runtime.sender.wake.set()
        flash(f"Đã xếp tin {message_id} để gửi lại.", "ok")
    else:
        flash(f"Tin {message_id} không ở trạng thái chờ gửi lại. Không có gì thay đổi.", "error")
    return redirect(url_for(".page", status="uncertain"))
