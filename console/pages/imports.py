"""Importing a notice: upload it, review the tasks read from it, publish them. Writes go through
the importer, so the console adds no rules of its own about notices."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from console import queries
from console.pages.common import UploadRefused, save_upload, without_folder
from notices import NoticeError, read_notice
from notices.importer import ImportRefused, import_notice, publish_notice
from storage.models import utcnow
from zalo.runtime import current_runtime

log = logging.getLogger(__name__)

bp = Blueprint("imports", __name__)

NOTICE_SUFFIXES = (".txt", ".md", ".docx", ".pdf")


@bp.get("/import")
def page():
    with current_runtime().session(read_only=True) as session:
        rows = queries.notices(session)
    return render_template("console/import.html", notices=rows, suffixes=NOTICE_SUFFIXES)


def _read(path: Path):
    """The reader's own refusals pass through; anything else it trips on is a damaged file too."""
    try:
        return read_notice(path)
    except NoticeError:
        raise
    except Exception:  # noqa: BLE001 - a file from outside: whatever breaks, nothing is stored
        log.exception("console: the notice reader failed on %s", path.name)
        raise UploadRefused(f"Không đọc được tệp «{path.name}»: tệp hỏng hoặc không đúng định dạng.") from None


@bp.post("/import")
def upload():
    runtime = current_runtime()
    with tempfile.TemporaryDirectory(prefix="nhacviec-upload-") as tmp:
        folder = Path(tmp)
        try:
            path = save_upload(request.files.get("notice"), folder, NOTICE_SUFFIXES)
            parsed = _read(path)
            with runtime.session() as session:
                report = import_notice(session, parsed, source_name=path.name, settings=runtime.settings)
        except (UploadRefused, NoticeError, ImportRefused) as error:
            flash(without_folder(str(error), folder) or "Không đọc được tệp này.", "error")
            return page(), 400
    review_url = url_for(".review", notice_id=report.notice_id)
    if not report.created:
        state = "đã công bố" if report.published_at else "chưa công bố"
        flash({"text": f"Thông báo này đã được nhập trước đây ({state}): không có gì thay đổi.",
               "link": review_url, "link_text": "Xem thông báo đã nhập"}, "info")
        return redirect(url_for(".page"))
    flash(f"Đã lưu thông báo với {len(report.task_ids)} việc, chưa công bố. Anh/chị kiểm tra bảng dưới "
          "rồi bấm «Công bố».", "ok")
    return redirect(review_url)


@bp.get("/notices/<int:notice_id>")
def review(notice_id: int):
    runtime = current_runtime()
    with runtime.session(read_only=True) as session:
        found = queries.review(session, notice_id, runtime.settings.zone)
    if found is None:
        abort(404)
    return render_template("console/review.html", review=found)


@bp.post("/notices/<int:notice_id>/publish")
def publish(notice_id: int):
    runtime = current_runtime()
    try:
        with runtime.session() as session:
            published = publish_notice(session, notice_id, runtime.settings, utcnow())
            label = queries.notice(session, notice_id).label
    except ImportRefused as error:
        flash(str(error), "error")
        return page(), 404
    if published:
        flash(f"Đã công bố {published} việc của {label}: cán bộ đã xem được và sẽ được nhắc hạn.", "ok")
    else:
        flash(f"{label} đã được công bố từ trước: không có gì thay đổi.", "info")
    return redirect(url_for("console.dashboard.page"))
