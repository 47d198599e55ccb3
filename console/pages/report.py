"""The reports: the page, the Excel workbook (everything, a period, or one notice) and, per
notice, «Báo cáo kết quả thực hiện Thông báo kết luận tuần N» as a .docx ready to sign."""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from sqlmodel import select

from console import queries
from console.pages.common import current_settings, int_arg
from console.pages.dashboard import with_dashboard
from console.report import build_workbook, workbook_bytes
from console.report_data import Scope, report_rows, unit_summaries
from console.report_docx import Letterhead, NoticeFacts, build_document, document_bytes
from storage.models import Notice, Officer, Unit, utcnow
from tasks.wording import say_date
from zalo.runtime import current_runtime

bp = Blueprint("report", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.get("/report")
def page():
    with current_runtime().session(read_only=True) as session:
        choices = queries.published_notice_choices(session)
    return with_dashboard("console/report.html", notices=choices)


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _scope(session) -> tuple[Scope, str, str]:
    """The report's scope from the query string, its words for the title, and for the file name."""
    notice_id = int_arg("notice")
    notice = session.get(Notice, notice_id) if notice_id else None
    if notice is not None:
        return Scope(notice_id=notice.id), queries.label_of(notice), f"thong-bao-{notice.id}"
    start, end = _day("from"), _day("to")
    if start and end and start > end:
        start, end = end, start
    if start or end:
        words = f"Từ ngày {say_date(start)} " if start else ""
        words += f"đến ngày {say_date(end)}" if end else "đến nay"
        return Scope(start=start, end=end), f"Nhiệm vụ giao {words[0].lower()}{words[1:]}", \
            f"{start or 'dau'}-{end or 'nay'}"
    return Scope(), "Toàn bộ nhiệm vụ đã công bố", ""


@bp.get("/report.xlsx")
def download():
    runtime = current_runtime()
    settings, now = runtime.settings, utcnow()
    with runtime.session(read_only=True) as session:
        scope, words, tag = _scope(session)
        rows = report_rows(session, scope, now, settings.zone)
        units, total = unit_summaries(session, rows)
    workbook = build_workbook(rows, units, total, org=(settings.org_parent, settings.org_name), scope=words, now=now,
                              zone=settings.zone)
    name = f"bao-cao-nhiem-vu-{now.astimezone(settings.zone):%Y-%m-%d}{'-' + tag if tag else ''}.xlsx"
    return send_file(io.BytesIO(workbook_bytes(workbook)), mimetype=XLSX, as_attachment=True, download_name=name)


def _signer(session) -> tuple[str, str]:
    """The head of the office (Chánh Văn phòng) signs on the Director's behalf."""
    head = session.exec(select(Officer).join(Unit, Unit.id == Officer.unit_id)
                        .where(Unit.kind == "office", Officer.role == "head", Officer.active == True)  # noqa: E712
                        .order_by(Officer.id)).first()
    return (head.title or "Chánh Văn phòng", head.full_name) if head else ("Chánh Văn phòng", "")


def letterhead(session, notice: Notice) -> Letterhead:
    settings = current_settings()
    symbol = (notice.symbol or "").rsplit("-", 1)[-1] or "SKHCN"
    title, name = _signer(session)
    return Letterhead(settings.org_parent, settings.org_name, symbol, notice.place or settings.org_place,
                      "TL. GIÁM ĐỐC", title, name)


@bp.get("/notices/<int:notice_id>/report.docx")
def notice_docx(notice_id: int):
    runtime = current_runtime()
    zone, now = runtime.settings.zone, utcnow()
    with runtime.session(read_only=True) as session:
        notice = session.get(Notice, notice_id)
        if notice is None or notice.discarded_at is not None:
            abort(404)
        if notice.published_at is None:
            flash("Thông báo chưa công bố: chưa có kết quả để báo cáo.", "error")
            return redirect(url_for("console.imports.review", notice_id=notice_id))
        rows = report_rows(session, Scope(notice_id=notice_id), now, zone)
        _, total = unit_summaries(session, rows)
        facts = NoticeFacts(queries.label_of(notice), notice.week, notice.year, notice.number, notice.symbol,
                            notice.issued_on, notice.meeting_on, notice.chair)
        head = letterhead(session, notice)
    document = build_document(head, facts, rows, total, now.astimezone(zone).date(), zone)
    week = f"tuan-{notice.week}-{notice.year}" if notice.week else f"thong-bao-{notice.id}"
    return send_file(io.BytesIO(document_bytes(document)), mimetype=DOCX, as_attachment=True,
                     download_name=f"bao-cao-ket-qua-{week}.docx")
