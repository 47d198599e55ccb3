"""Correcting a draft in the review page: edit, split, merge, add or delete rows, delete the draft
(`notices.drafts` does each, through `tasks.lifecycle`, recording who did it)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from console import review
from console.pages.common import clerk_id, clerk_via, int_arg
from notices import drafts
from notices.drafts import DeadlineInput, DraftRefused, RowInput
from storage.models import Officer, utcnow
from zalo.runtime import current_runtime

bp = Blueprint("drafts", __name__)

NO_DEADLINE = "none"
KEEP_DEADLINE = "keep"


def _ids(name: str) -> tuple[int, ...]:
    return tuple(dict.fromkeys(int(v) for v in request.form.getlist(name) if v.isdigit() and len(v) < 10))


def _day(name: str) -> date | None:
    text = request.form.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DraftRefused("Ngày không hợp lệ.") from None


def _deadline() -> DeadlineInput | None:
    kind = request.form.get("deadline_kind", KEEP_DEADLINE)
    if kind == KEEP_DEADLINE:
        return None
    if kind == NO_DEADLINE:
        return DeadlineInput(None)
    return DeadlineInput(kind, _day("deadline_date"), request.form.get("deadline_time", "").strip() or None,
                         _day("deadline_start"))


def _row() -> RowInput:
    return RowInput(request.form.get("text", ""), int_arg("unit_id", source=request.form), _ids("people"),
                    _ids("partners"), _deadline())


def _form_page(notice_id: int, task_id: int | None):
    runtime = current_runtime()
    with runtime.session(read_only=True) as session:
        found = review.review(session, notice_id, runtime.settings.zone)
        options = review.choices(session)
    if found is None or found.notice.published:
        abort(404)
    row = next((r for r in found.rows if r.task_id == task_id), None)
    if task_id is not None and row is None:
        abort(404)
    return render_template("console/row_form.html", review=found, row=row, options=options,
                           kinds=DEADLINE_LABELS)


DEADLINE_LABELS = {"on": "Trong ngày / chậm nhất ngày", "before": "Trước ngày", "meeting": "Trước cuộc họp (ngày, giờ)",
                   "period": "Trong khoảng (từ ngày … đến ngày)", "recurring": "Định kỳ"}


@bp.get("/notices/<int:notice_id>/rows/<int:task_id>/edit")
def edit_page(notice_id: int, task_id: int):
    return _form_page(notice_id, task_id)


@bp.get("/notices/<int:notice_id>/rows/new")
def new_row_page(notice_id: int):
    return _form_page(notice_id, None)


def _changed(notice_id: int, done, what: str):
    """Run one change of the draft in a transaction; say how it went on the review page."""
    runtime = current_runtime()
    try:
        with runtime.session() as session:
            clerk = session.get(Officer, clerk_id()) if clerk_id() else None
            result = done(session, clerk, clerk_via(), runtime.settings, utcnow())
    except DraftRefused as refused:
        flash(f"{refused} Không có gì thay đổi.", "error")
        return redirect(url_for("console.imports.review", notice_id=notice_id))
    flash(what(result), "ok")
    anchor = f"row-{result}" if isinstance(result, int) else None
    return redirect(url_for("console.imports.review", notice_id=notice_id, _anchor=anchor))


@bp.post("/notices/<int:notice_id>/rows/<int:task_id>")
def edit(notice_id: int, task_id: int):
    row = _row()
    return _changed(notice_id, lambda s, *a: drafts.edit_row(s, notice_id, task_id, row, *a) and task_id,
                    lambda changed: f"Đã sửa việc #{task_id}." if changed else "Dòng không có gì thay đổi.")


@bp.post("/notices/<int:notice_id>/rows/<int:task_id>/split")
def split(notice_id: int, task_id: int):
    first, second = request.form.get("first", ""), request.form.get("second", "")
    return _changed(notice_id, lambda s, *a: drafts.split_row(s, notice_id, task_id, first, second, *a),
                    lambda new: f"Đã tách việc #{task_id} thành hai: #{task_id} và #{new}.")


@bp.post("/notices/<int:notice_id>/rows/<int:task_id>/delete")
def delete(notice_id: int, task_id: int):
    return _changed(notice_id, lambda s, *a: drafts.delete_row(s, notice_id, task_id, *a),
                    lambda _: f"Đã xóa việc #{task_id} khỏi bản nháp (vẫn lưu trong lịch sử).")


@bp.post("/notices/<int:notice_id>/merge")
def merge(notice_id: int):
    chosen = list(_ids("merge"))
    return _changed(notice_id, lambda s, *a: drafts.merge_rows(s, notice_id, chosen, *a),
                    lambda kept: f"Đã gộp {len(chosen)} dòng vào việc #{kept}.")


@bp.post("/notices/<int:notice_id>/rows")
def add(notice_id: int):
    row, ref = _row(), request.form.get("ref", "")
    return _changed(notice_id, lambda s, *a: drafts.add_row(s, notice_id, ref, row, *a),
                    lambda new: f"Đã thêm việc #{new} vào bản nháp.")


@bp.post("/notices/<int:notice_id>/discard")
def discard(notice_id: int):
    runtime = current_runtime()
    try:
        with runtime.session() as session:
            clerk = session.get(Officer, clerk_id()) if clerk_id() else None
            drafts.discard(session, notice_id, clerk, clerk_via(), runtime.settings, utcnow())
    except DraftRefused as refused:
        flash(f"{refused} Không có gì thay đổi.", "error")
        return redirect(url_for("console.imports.page"))
    flash("Đã xóa bản nháp. Các việc của nó vẫn được lưu trong lịch sử, không ai thấy nữa.", "ok")
    return redirect(url_for("console.imports.page"))
