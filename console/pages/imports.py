"""Importing a notice: upload it, review the tasks read from it, publish them; a corrected file of
a notice already stored shows its differences first, then replaces the draft or is applied to the
live tasks. Writes go through the importer, so the console adds no rules of its own about notices."""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlmodel import select

from console import queries, review
from console.pages.common import UploadRefused, clerk_id, clerk_via, int_arg, save_upload, without_folder
from notices import NoticeError, read_notice
from notices.corrections import apply_correction, correction, correction_target, keep_pending, parsed_from_json
from notices.importer import ImportRefused, import_notice, notice_hash, publish_notice
from storage.models import Notice, Officer, PendingImport, Task, utcnow
from tasks import lifecycle
from zalo.runtime import current_runtime

log = logging.getLogger(__name__)

bp = Blueprint("imports", __name__)

NOTICE_SUFFIXES = (".txt", ".md", ".docx", ".pdf")


PER_PAGE = 50


@bp.get("/import")
def page():
    with current_runtime().session(read_only=True) as session:
        pages = max(1, -(-queries.notice_count(session) // PER_PAGE))
        number = min(int_arg("page", 1), pages)
        rows = queries.notices(session, limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
    return render_template("console/import.html", notices=rows, suffixes=NOTICE_SUFFIXES, page=number, pages=pages)


def _read(path: Path):
    """The reader's own refusals pass through; anything else it trips on is a damaged file too."""
    try:
        return read_notice(path)
    except NoticeError:
        raise
    except Exception:  # noqa: BLE001 - a file from outside: whatever breaks, nothing is stored
        log.exception("console: the notice reader failed on %s", path.name)
        raise UploadRefused(f"Không đọc được tệp «{path.name}»: tệp hỏng hoặc không đúng định dạng.") from None


def _store(session, parsed, source_name: str, settings):
    """A read notice: the one already stored, a pending correction of one, or a new draft."""
    if "\\u0000" in json.dumps(parsed.to_dict()):
        raise UploadRefused(f"Tệp «{source_name}» có ký tự NUL: tệp hỏng hoặc không phải văn bản.")
    content_hash = notice_hash(parsed)
    known = session.exec(select(Notice).where(Notice.content_hash == content_hash)).first()
    target = correction_target(session, parsed) if known is None else None
    if target is not None:
        return keep_pending(session, parsed, source_name=source_name, content_hash=content_hash, target=target,
                            now=utcnow())
    return import_notice(session, parsed, source_name=source_name, settings=settings, content_hash=content_hash,
                         actor_id=clerk_id(), via=clerk_via())


@bp.post("/import")
def upload():
    runtime = current_runtime()
    with tempfile.TemporaryDirectory(prefix="nhacviec-upload-") as tmp:
        folder = Path(tmp)
        try:
            path = save_upload(request.files.get("notice"), folder, NOTICE_SUFFIXES)
            parsed = _read(path)
            with runtime.session() as session:
                stored = _store(session, parsed, path.name, runtime.settings)
        except (UploadRefused, NoticeError, ImportRefused) as error:
            flash(without_folder(str(error), folder) or "Không đọc được tệp này.", "error")
            return page(), 400
    if isinstance(stored, PendingImport):
        return redirect(url_for(".correction_page", pending_id=stored.id))
    review_url = url_for(".review", notice_id=stored.notice_id)
    if not stored.created:
        state = "đã công bố" if stored.published_at else "chưa công bố"
        flash({"text": f"Thông báo này đã được nhập trước đây ({state}): không có gì thay đổi.",
               "link": review_url, "link_text": "Xem thông báo đã nhập"}, "info")
        return redirect(url_for(".page"))
    flash(f"Đã lưu thông báo với {len(stored.task_ids)} việc, chưa công bố. Anh/chị kiểm tra bảng dưới "
          "rồi bấm «Công bố».", "ok")
    return redirect(review_url)


@bp.get("/notices/<int:notice_id>", endpoint="review")
def review_page(notice_id: int):
    runtime = current_runtime()
    with runtime.session(read_only=True) as session:
        found = review.review(session, notice_id, runtime.settings.zone)
        options = review.choices(session)
    if found is None:
        abort(404)
    return render_template("console/review.html", review=found, options=options)



def _checked_ids() -> set[int]:
    return {int(v) for v in request.form.getlist("checked") if v.isdigit() and len(v) < 10}


@bp.post("/notices/<int:notice_id>/publish")
def publish(notice_id: int):
    runtime = current_runtime()
    now, ticked = utcnow(), _checked_ids()
    try:
        with runtime.session() as session:
            found = review.review(session, notice_id, runtime.settings.zone)
            if found is None:
                raise ImportRefused(f"không có thông báo số {notice_id}")
            unticked = [r for r in found.blocking if r.task_id not in ticked]
            if unticked and not found.notice.published:
                flash("Chưa công bố: còn việc " + ", ".join(f"{r.ref} (#{r.task_id}: {'; '.join(r.blocking)})"
                                                          for r in unticked)
                      + ". Anh/chị sửa dòng đó hoặc đánh dấu «Đã kiểm tra».", "error")
                return redirect(url_for(".review", notice_id=notice_id))
            clerk = session.get(Officer, clerk_id()) if clerk_id() else None
            for row in found.blocking:
                if not found.notice.published:
                    lifecycle.mark_checked(session, session.get(Task, row.task_id), clerk, now, via=clerk_via())
            published = publish_notice(session, notice_id, runtime.settings, now, actor_id=clerk_id(),
                                       via=clerk_via())
            label = found.notice.label
    except ImportRefused as error:
        flash(str(error), "error")
        return page(), 404
    if published:
        flash(f"Đã công bố {published} việc của {label}: cán bộ đã xem được và sẽ được nhắc hạn.", "ok")
    else:
        flash(f"{label} đã được công bố từ trước: không có gì thay đổi.", "info")
    return redirect(url_for("console.dashboard.page"))


# --- a corrected file --------------------------------------------------------------------------------

@bp.get("/imports/corrections/<int:pending_id>")
def correction_page(pending_id: int):
    runtime = current_runtime()
    try:
        with runtime.session(read_only=True) as session:
            found = correction(session, pending_id, runtime.settings)
            label = queries.label_of(found.notice)
    except ImportRefused as error:
        flash(str(error), "error")
        return redirect(url_for(".page"))
    return render_template("console/correction.html", c=found, label=label)


@bp.post("/imports/corrections/<int:pending_id>/<any(apply, separate, drop):choice>")
def correction_choice(pending_id: int, choice: str):
    runtime = current_runtime()
    now = utcnow()
    try:
        with runtime.session() as session:
            pending = session.get(PendingImport, pending_id)
            if pending is None:
                raise ImportRefused("Bản sửa này không còn (đã áp dụng, đã bỏ, hoặc quá một ngày).")
            notice_id = pending.target_notice_id
            if choice == "drop":
                session.delete(pending)
            elif choice == "separate":
                parsed = parsed_from_json(pending.parsed)
                notice_id = import_notice(session, parsed, source_name=pending.source_name, settings=runtime.settings,
                                          content_hash=pending.content_hash, actor_id=clerk_id(),
                                          via=clerk_via()).notice_id
                session.delete(pending)
            else:
                clerk = session.get(Officer, clerk_id()) if clerk_id() else None
                applied = apply_correction(session, pending_id, clerk, clerk_via(), runtime.settings, now)
    except ImportRefused as error:
        flash(str(error), "error")
        return redirect(url_for(".page"))
    if choice == "drop":
        flash("Đã bỏ tệp vừa tải lên: không có gì thay đổi.", "info")
        return redirect(url_for(".page"))
    if choice == "apply":
        runtime.sender.wake.set()
        flash(f"Đã áp dụng bản sửa: {applied.count('changed')} việc thay đổi, {applied.count('added')} việc thêm, "
              f"{applied.count('removed')} việc bỏ.", "ok")
    else:
        flash("Đã lưu thành một thông báo riêng, chưa công bố.", "ok")
    return redirect(url_for(".review", notice_id=notice_id))
