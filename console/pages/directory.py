"""The directory: units and officers as the bot knows them, and loading them from CSV: one file
(Vietnamese or English column names, shown as changes before they are made) or the two files of
`nhacviec directory load`. Files go through the directory loader, so the console adds no rules of
its own about officers."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from sqlmodel import select

from console import people
from console.directory_queries import DirectoryFilter, directory, month_channels
from console.pages.common import MAX_UPLOAD, UploadRefused, save_upload, without_folder
from storage.directory import DirectoryError, load_directory
from storage.models import Unit, utcnow
from zalo.runtime import current_runtime

bp = Blueprint("directory", __name__)

# The file being previewed, kept in the (server-side) session until the clerk confirms it.
PENDING_FILE = "directory_file"


@bp.get("/directory")
def page():
    runtime = current_runtime()
    flt = DirectoryFilter.from_args(request.args)
    with runtime.session(read_only=True) as db:
        found = directory(db, runtime.settings, utcnow(), flt)
        month = month_channels(db, runtime.settings, utcnow())
    return render_template("console/directory.html", found=found, flt=flt, month=month)


@bp.post("/directory")
def upload():
    with tempfile.TemporaryDirectory(prefix="nhacviec-directory-") as tmp:
        folder = Path(tmp)
        try:
            units = save_upload(request.files.get("units"), folder, (".csv",))
            officers = save_upload(request.files.get("officers"), folder, (".csv",))
            with current_runtime().session() as db:
                summary = load_directory(db, units, officers)
        except (UploadRefused, DirectoryError) as error:
            flash(f"Không nạp được danh bạ, không có gì thay đổi. {without_folder(str(error), folder)}", "error")
            return page(), 400
    flash(f"Đã nạp danh bạ: đơn vị thêm {summary.units_added}, cập nhật {summary.units_updated}; "
          f"cán bộ thêm {summary.officers_added}, cập nhật {summary.officers_updated}.", "ok")
    return redirect(url_for(".page"))


def _read_file():
    """The uploaded file, checked (CSV, at most 1 MB, not empty)."""
    with tempfile.TemporaryDirectory(prefix="nhacviec-directory-") as tmp:
        path = save_upload(request.files.get("file"), Path(tmp), (".csv",))
        data = path.read_bytes()
    if len(data) > people.MAX_FILE:
        raise UploadRefused("Tệp danh bạ lớn hơn 1 MB.")
    return path.name, data


def _upload(db, data: bytes) -> people.Upload:
    return people.read_csv(data, list(db.exec(select(Unit))))


@bp.post("/directory/file")
def preview():
    """Read one file and show what it would change; nothing changes until «Cập nhật danh bạ»."""
    try:
        name, data = _read_file()
        with current_runtime().session() as db:
            changes = people.preview(db, _upload(db, data))
    except (UploadRefused, people.PeopleRefused) as error:
        flash(f"Không nạp được danh bạ, không có gì thay đổi. {error}", "error")
        return page(), 400
    session[PENDING_FILE] = {"name": name, "text": data.decode("utf-8-sig")}
    return render_template("console/directory_preview.html", name=name, changes=changes)


@bp.post("/directory/file/confirm")
def confirm():
    pending = session.pop(PENDING_FILE, None)
    if not isinstance(pending, dict) or len(pending.get("text", "")) > MAX_UPLOAD:
        flash("Không còn tệp nào chờ cập nhật: anh/chị tải tệp lên lại.", "error")
        return redirect(url_for(".page"))
    try:
        with current_runtime().session() as db:
            summary = people.load_upload(db, _upload(db, pending["text"].encode("utf-8")))
    except people.PeopleRefused as error:
        flash(f"Không nạp được danh bạ, không có gì thay đổi. {error}", "error")
        return redirect(url_for(".page"))
    flash(f"Đã cập nhật danh bạ từ «{pending['name']}»: đơn vị thêm {summary.units_added}, cập nhật "
          f"{summary.units_updated}; cán bộ thêm {summary.officers_added}, cập nhật {summary.officers_updated}.", "ok")
    return redirect(url_for(".page"))
