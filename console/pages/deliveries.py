"""The delivery log: every message the bot queued for Zalo, filtered and paged."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from console import queries
from zalo.runtime import current_runtime

bp = Blueprint("deliveries", __name__)

PER_PAGE = 50


@bp.get("/deliveries")
def page():
    flt = queries.LogFilter.from_args(request.args)
    with current_runtime().session(read_only=True) as session:
        log = queries.delivery_log(session, flt, per_page=PER_PAGE)
    return render_template("console/deliveries.html", log=log, flt=flt)
