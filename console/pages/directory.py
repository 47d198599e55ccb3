"""The directory: units and officers as the bot knows them, and loading them from two CSV files
(through the directory loader, so the console adds no rules of its own about officers)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, flash, redirect, render_template, request, url_for

from console import queries
from console.pages.common import UploadRefused, save_upload, without_folder
from storage.directory import DirectoryError, load_directory
from storage.models import utcnow
from zalo.runtime import current_runtime

bp = Blueprint("directory", __name__)


@bp.get("/directory")
def page():
    runtime = current_runtime()
    with runtime.session(read_only=True) as session:
        groups = queries.directory(session, runtime.settings, utcnow())
    return render_template("console/directory.html", groups=groups)


@bp.post("/directory")
def upload():
    with tempfile.TemporaryDirectory(prefix="nhacviec-directory-") as tmp:
        folder = Path(tmp)
        try:
            units = save_upload(request.files.get("units"), folder, (".csv",))
            officers = save_upload(request.files.get("officers"), folder, (".csv",))
            with current_runtime().session() as session:
                summary = load_directory(session, units, officers)
        except (UploadRefused, DirectoryError) as error:
            flash(f"Không nạp được danh bạ, không có gì thay đổi. {without_folder(str(error), folder)}", "error")
            return page(), 400
    flash(f"Đã nạp danh bạ: đơn vị thêm {summary.units_added}, cập nhật {summary.units_updated}; "
          f"cán bộ thêm {summary.officers_added}, cập nhật {summary.officers_updated}.", "ok")
    return redirect(url_for(".page"))
