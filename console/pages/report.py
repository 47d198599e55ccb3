"""The weekly report: the page, and the Excel workbook to download."""

from __future__ import annotations

import io

from flask import Blueprint, send_file

from console import queries
from console.pages.dashboard import with_dashboard
from console.report import build_workbook, workbook_bytes
from storage.models import utcnow
from zalo.runtime import current_runtime

bp = Blueprint("report", __name__)


@bp.get("/report")
def page():
    return with_dashboard("console/report.html")


@bp.get("/report.xlsx")
def download():
    runtime = current_runtime()
    zone, now = runtime.settings.zone, utcnow()
    with runtime.session(read_only=True) as session:
        rows, loads, total = queries.report(session, now, zone)
    workbook = build_workbook(rows, loads, total, now=now, zone=zone, week=queries.week_bounds(now, zone))
    return send_file(
        io.BytesIO(workbook_bytes(workbook)),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"bao-cao-nhiem-vu-{now.astimezone(zone):%Y-%m-%d}.xlsx",
    )
