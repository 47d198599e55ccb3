"""What every console page shares: the guard (sign-in, then the CSRF token), the helpers its
templates use, the error pages, and saving an upload. `console.bp` registers these once for all
pages; the pages themselves live in one blueprint per concern next to this module."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import FileStorage

from config.settings import Settings
from console import auth
from tasks.wording import say_date, say_moment
from zalo.runtime import current_runtime

URL_PREFIX = "/console"
MAX_UPLOAD = 10 * 1024 * 1024
# Ids in URLs are database integers: a larger number names nothing (and would overflow PostgreSQL).
MAX_ID = 2**31 - 1

OUTBOX_LABELS = {
    "pending": "Chờ gửi",
    "claimed": "Đã nhận, chờ gửi",
    "sending": "Đang gửi",
    "sent": "Đã gửi",
    "held": "Đang giữ",
    "folded": "Đã gộp",
    "superseded": "Bỏ (đã có tin mới hơn hoặc việc đã xong)",
    "failed": "Thất bại",
    "uncertain": "Không chắc đã gửi",
}
CHANNEL_LABELS = {"text": "qua tin nhắn Zalo", "billed": "qua tin nhắn Zalo (tính phí)",
                  "template": "qua tin mẫu Zalo", "zns": "qua tin mẫu tới số điện thoại"}
KIND_LABELS = {
    "reply": "Trả lời",
    "reminder": "Nhắc hạn",
    "summary": "Tổng hợp tuần",
    "digest": "Tin gộp",
    "image": "Hình ảnh",
    "notice": "Thông báo",
}
ROLE_LABELS = {"leader": "Lãnh đạo Sở", "head": "Trưởng đơn vị", "member": "Chuyên viên", "admin": "Văn thư"}
UNIT_KIND_LABELS = {"leadership": "Lãnh đạo Sở", "office": "Văn phòng", "department": "Phòng chuyên môn",
                    "affiliated": "Đơn vị thuộc Sở", "union": "Đoàn thể"}

HISTORY_LABELS = {
    "created": "Nhập từ thông báo", "published": "Công bố", "closed": "Báo xong", "reopened": "Mở lại",
    "extension_requested": "Đề nghị gia hạn", "extension_approved": "Duyệt gia hạn",
    "extension_refused": "Từ chối gia hạn", "amended": "Sửa", "cancelled": "Hủy", "noted": "Ghi chú",
    "checked": "Văn phòng đánh dấu đã kiểm tra", "delegated": "Giao cho", "delegation_revoked": "Thu hồi từ",
    "progress": "Báo cáo tiến độ", "part_done": "Xong phần phối hợp", "progress_attachment": "Gửi kèm tiến độ",
}
NOTICE_ACTIONS = {"imported": "Nhập", "published": "Công bố", "corrected": "Áp dụng bản sửa",
                  "discarded": "Xóa bản nháp"}
FIELD_LABELS = {
    "ref": "Mục", "text": "Nội dung", "unit_id": "Đơn vị chủ trì", "unit_raw": "Đơn vị (văn bản ghi)",
    "assignees_raw": "Người được giao (văn bản ghi)", "coordinating_raw": "Phối hợp (văn bản ghi)",
    "deadline_raw": "Hạn (văn bản ghi)", "deadline_kind": "Loại hạn", "deadline_date": "Ngày hạn",
    "deadline_time": "Giờ hạn", "deadline_start": "Từ ngày", "unread_deadlines": "Cụm từ giống thời hạn",
    "assignee_ids": "Người được giao", "coordinator_ids": "Đơn vị phối hợp",
}
REMINDER_KINDS = {"before_deadline": "Trước hạn", "meeting": "Trước cuộc họp", "overdue": "Quá hạn",
                  "escalation": "Báo lãnh đạo", "recurring": "Định kỳ"}
REMINDER_STATES = {"pending": "Chờ đến giờ", "queued": "Đã chuyển gửi", "skipped": "Bỏ (việc đã xong)",
                   "missed": "Lỡ (quá muộn)", "early": "Trước khi công bố"}

# Where an upload too large to read is reported: the page its form is on (any other form: the import page).
UPLOAD_PAGES = {"console.directory.upload": "console.directory.page", "console.directory.preview": "console.directory.page"}


class UploadRefused(ValueError):
    """An uploaded file the console will not pass on; the message is for the clerk."""


def current_settings() -> Settings:
    return current_runtime().settings


# --- access --------------------------------------------------------------------------------

def _allowed() -> bool:
    if current_settings().admin_password:
        return auth.signed_in()
    return auth.is_local(request.remote_addr, request.headers)


def _holds_nul() -> bool:
    """NUL in a query or form value: no database stores it (PostgreSQL refuses it)."""
    values = [*request.args.values(), *request.form.values(), *request.args.keys(), *request.form.keys()]
    return any("\x00" in value for value in values)


def guard():
    """Sign-in first (except for the sign-in page and the style sheet), then the CSRF token."""
    if request.endpoint == "console.static":
        return None
    if _holds_nul():
        return render_template("console/error.html", title="Dữ liệu không hợp lệ",
                               message="Địa chỉ hoặc biểu mẫu có ký tự không hợp lệ."), 400
    if request.endpoint != "console.access.sign_in" and not _allowed():
        if current_settings().admin_password:
            return redirect(url_for("console.access.sign_in",
                                    next=request.full_path if request.method == "GET" else None))
        return render_template("console/sign_in.html"), 403
    if request.method == "POST" and not auth.csrf_valid(request.form.get("csrf_token")):
        abort(400)
    return None


def bounded_ids(_endpoint, values) -> None:
    """An id past what the database holds is a page that does not exist."""
    for value in (values or {}).values():
        if isinstance(value, int) and not 0 < value <= MAX_ID:
            abort(404)


def clerk_via() -> dict:
    """How the history records a change made here: through the console, by whom."""
    clerk = auth.clerk()
    return {"via": "console", "clerk": clerk["name"] if clerk else None}


def clerk_id() -> int | None:
    clerk = auth.clerk()
    return clerk.get("id") if clerk else None


def int_arg(name: str, default: int | None = None, source=None) -> int | None:
    """A whole number from the query string (or a form), else `default`; bounded like an id."""
    text = (source if source is not None else request.args).get(name, "")
    try:
        value = int(text)
    except ValueError:
        return default
    return value if 0 < value <= MAX_ID else default


# --- templates and error pages ---------------------------------------------------------------

def template_helpers() -> dict:
    zone = current_settings().zone

    def when(moment) -> str:
        return say_moment(moment, zone) if moment else "—"

    def day(value, *, year: bool = True) -> str:
        if isinstance(value, str):  # a day the history keeps as ISO text
            value = date.fromisoformat(value)
        return (say_date(value) if year else say_date(value)[:5]) if value else "—"

    return {"csrf_token": auth.csrf_token, "when": when, "day": day, "outbox_labels": OUTBOX_LABELS,
            "channel_labels": CHANNEL_LABELS, "kind_labels": KIND_LABELS, "role_labels": ROLE_LABELS, "unit_kind_labels": UNIT_KIND_LABELS,
            "password_set": bool(current_settings().admin_password), "clerk": auth.clerk(),
            "history_labels": HISTORY_LABELS, "notice_actions": NOTICE_ACTIONS, "field_labels": FIELD_LABELS,
            "reminder_kinds": REMINDER_KINDS, "reminder_states": REMINDER_STATES}


def bad_request(_error):
    return render_template("console/error.html", title="Biểu mẫu không hợp lệ",
                           message="Phiên làm việc đã hết hạn hoặc biểu mẫu thiếu mã bảo vệ. "
                                   "Anh/chị tải lại trang rồi thử lại."), 400


def not_found(_error):
    return render_template("console/error.html", title="Không tìm thấy",
                           message="Trang hoặc mục anh/chị tìm không có (hoặc đã bị xóa)."), 404


def too_large(_error):
    """Past the app's own limit the upload is not even read: say so on the page it came from."""
    flash("Tệp tải lên lớn hơn 10 MB: không có gì được lưu.", "error")
    page = UPLOAD_PAGES.get(request.endpoint, "console.imports.page")
    return current_app.view_functions[page](), 413


# --- uploads -------------------------------------------------------------------------------

def _display_name(upload: FileStorage) -> str:
    """The file's own name (no folders, no control characters), as the clerk knows it."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return name[-120:] or "tệp"


def save_upload(upload: FileStorage | None, folder: Path, suffixes: tuple[str, ...]) -> Path:
    """Write an upload under `folder` (in a sub-folder named after its form field), after checks."""
    if upload is None or not upload.filename:
        raise UploadRefused("Anh/chị chưa chọn tệp.")
    name = _display_name(upload)
    if Path(name).suffix.lower() not in suffixes:
        raise UploadRefused(f"Tệp «{name}» không phải {', '.join(suffixes[:-1])} hay {suffixes[-1]}.")
    data = upload.stream.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise UploadRefused(f"Tệp «{name}» lớn hơn 10 MB.")
    if not data.strip():
        raise UploadRefused(f"Tệp «{name}» trống.")
    path = folder / (upload.name or "file") / name
    path.parent.mkdir()
    path.write_bytes(data)
    return path


def without_folder(message: str, folder: Path) -> str:
    """An error message naming a saved upload by its own name, not by where we put it."""
    return re.sub(re.escape(str(folder)) + r"[/\\][^/\\]+[/\\]", "", message)
