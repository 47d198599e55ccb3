"""The console's pages. Reads go through `console.queries`; writes through the importer and the
directory loader, so the console adds no rules of its own about notices or officers; the Zalo
grant goes through the Zalo client."""

from __future__ import annotations

import hmac
import io
import logging
import re
import secrets
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask import session as flask_session
from werkzeug.datastructures import FileStorage

from zalo.runtime import current_runtime
from zalo.errors import ZaloError, ZaloTransportError
from zalo.tokens import TOKEN_ROW, code_challenge, consent_url, new_code_verifier
from console import auth, queries
from console.report import build_workbook, workbook_bytes
from notices import NoticeError, read_notice
from notices.importer import ImportRefused, import_notice, publish_notice
from storage.directory import DirectoryError, load_directory
from storage.models import ZaloToken, utcnow

log = logging.getLogger(__name__)

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates",
               static_folder="static")

NOTICE_SUFFIXES = (".txt", ".md", ".docx", ".pdf")
MAX_UPLOAD = 10 * 1024 * 1024
PER_PAGE = 50

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
KIND_LABELS = {
    "reply": "Trả lời",
    "reminder": "Nhắc hạn",
    "summary": "Tổng hợp tuần",
    "digest": "Tin gộp",
    "image": "Hình ảnh",
    "notice": "Thông báo",
}
ROLE_LABELS = {"leader": "Lãnh đạo Sở", "head": "Trưởng đơn vị", "member": "Chuyên viên", "admin": "Quản trị"}
UNIT_KIND_LABELS = {"leadership": "Lãnh đạo Sở", "office": "Văn phòng", "department": "Phòng chuyên môn",
                    "affiliated": "Đơn vị thuộc Sở", "union": "Đoàn thể"}


class UploadRefused(ValueError):
    """An uploaded file the console will not pass on; the message is for the clerk."""


# --- access --------------------------------------------------------------------------------

def _settings():
    return current_runtime().settings


def _allowed() -> bool:
    password = _settings().admin_password
    return auth.signed_in(password) if password else auth.is_local(request.remote_addr, request.headers)


@bp.before_request
def guard():
    """Sign-in first (except for the sign-in page and the style sheet), then the CSRF token."""
    if request.endpoint == "console.static":
        return None
    if request.endpoint != "console.sign_in" and not _allowed():
        if _settings().admin_password:
            return redirect(url_for(".sign_in", next=request.full_path if request.method == "GET" else None))
        return render_template("console/sign_in.html"), 403
    if request.method == "POST" and not auth.csrf_valid(request.form.get("csrf_token")):
        abort(400)
    return None


@bp.context_processor
def helpers() -> dict:
    zone = _settings().zone

    def when(moment) -> str:
        return f"{moment.astimezone(zone):%d/%m/%Y %H:%M}" if moment else "—"

    def day(value, *, year: bool = True) -> str:
        return (f"{value:%d/%m/%Y}" if year else f"{value:%d/%m}") if value else "—"

    return {"csrf_token": auth.csrf_token, "when": when, "day": day, "outbox_labels": OUTBOX_LABELS,
            "kind_labels": KIND_LABELS, "role_labels": ROLE_LABELS, "unit_kind_labels": UNIT_KIND_LABELS,
            "password_set": bool(_settings().admin_password)}


@bp.errorhandler(400)
def bad_request(_error):
    return render_template("console/error.html", title="Biểu mẫu không hợp lệ",
                           message="Phiên làm việc đã hết hạn hoặc biểu mẫu thiếu mã bảo vệ. "
                                   "Anh/chị tải lại trang rồi thử lại."), 400


@bp.errorhandler(413)
def too_large(_error):
    """Past the app's own limit the upload is not even read: say so on the page it came from."""
    flash("Tệp tải lên lớn hơn 10 MB: không có gì được lưu.", "error")
    return _directory_page(413) if request.endpoint == "console.directory_upload" else _import_page(413)


def _safe_next(target: str | None) -> str:
    """Only a console page of this site: never an address elsewhere."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not parts.path.startswith(bp.url_prefix) or target.startswith("//"):
        return url_for(".dashboard")
    return target


def _throttle() -> auth.Throttle:
    """One per app: wrong passwords are counted where they are checked."""
    return current_app.extensions.setdefault("console_sign_in_throttle", auth.Throttle())


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    settings = _settings()
    if not settings.admin_password:
        if auth.is_local(request.remote_addr, request.headers):
            return redirect(url_for(".dashboard"))
        return render_template("console/sign_in.html"), 403
    if request.method == "GET":
        if auth.signed_in(settings.admin_password):
            return redirect(_safe_next(request.args.get("next")))
        return render_template("console/sign_in.html", next=request.args.get("next", ""))
    address, now = request.remote_addr or "", time.monotonic()
    if _throttle().blocked(address, now):
        return render_template("console/sign_in.html", next=request.form.get("next", ""),
                               error="Đã nhập sai mật khẩu nhiều lần. Anh/chị đợi vài phút rồi thử lại."), 429
    if auth.password_matches(request.form.get("password", ""), settings.admin_password):
        auth.sign_in(settings.admin_password)
        log.info("console: signed in from %s", address)
        return redirect(_safe_next(request.form.get("next")))
    _throttle().failed(address, now)
    log.warning("console: wrong password from %s", address)
    return render_template("console/sign_in.html", next=request.form.get("next", ""),
                           error="Mật khẩu không đúng."), 401


@bp.post("/sign-out")
def sign_out():
    auth.sign_out()
    return redirect(url_for(".sign_in"))


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


# --- notices -------------------------------------------------------------------------------

def _import_page(status: int = 200):
    with current_runtime().session(read_only=True) as session:
        rows = queries.notices(session)
    return render_template("console/import.html", notices=rows, suffixes=NOTICE_SUFFIXES), status


@bp.get("/import")
def import_page():
    return _import_page()


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
def import_upload():
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
            return _import_page(400)
    review_url = url_for(".review", notice_id=report.notice_id)
    if not report.created:
        state = "đã công bố" if report.published_at else "chưa công bố"
        flash({"text": f"Thông báo này đã được nhập trước đây ({state}): không có gì thay đổi.",
               "link": review_url, "link_text": "Xem thông báo đã nhập"}, "info")
        return redirect(url_for(".import_page"))
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
        return _import_page(404)
    if published:
        flash(f"Đã công bố {published} việc của {label}: cán bộ đã xem được và sẽ được nhắc hạn.", "ok")
    else:
        flash(f"{label} đã được công bố từ trước: không có gì thay đổi.", "info")
    return redirect(url_for(".dashboard"))


# --- dashboard, directory, delivery log, report -----------------------------------------------

def _with_dashboard(template: str):
    runtime = current_runtime()
    with runtime.session(read_only=True) as session:
        data = queries.dashboard(session, utcnow(), runtime.settings.zone)
    return render_template(template, data=data)


@bp.get("/")
def dashboard():
    return _with_dashboard("console/dashboard.html")


def _directory_page(status: int = 200):
    runtime = current_runtime()
    with runtime.session(read_only=True) as session:
        groups = queries.directory(session, runtime.settings, utcnow())
    return render_template("console/directory.html", groups=groups), status


@bp.get("/directory")
def directory():
    return _directory_page()


@bp.post("/directory")
def directory_upload():
    with tempfile.TemporaryDirectory(prefix="nhacviec-directory-") as tmp:
        folder = Path(tmp)
        try:
            units = save_upload(request.files.get("units"), folder, (".csv",))
            officers = save_upload(request.files.get("officers"), folder, (".csv",))
            with current_runtime().session() as session:
                summary = load_directory(session, units, officers)
        except (UploadRefused, DirectoryError) as error:
            flash(f"Không nạp được danh bạ, không có gì thay đổi. {without_folder(str(error), folder)}", "error")
            return _directory_page(400)
    flash(f"Đã nạp danh bạ: đơn vị thêm {summary.units_added}, cập nhật {summary.units_updated}; "
          f"cán bộ thêm {summary.officers_added}, cập nhật {summary.officers_updated}.", "ok")
    return redirect(url_for(".directory"))


@bp.get("/deliveries")
def deliveries():
    flt = queries.LogFilter.from_args(request.args)
    with current_runtime().session(read_only=True) as session:
        page = queries.delivery_log(session, flt, per_page=PER_PAGE)
    return render_template("console/deliveries.html", log=page, flt=flt)


@bp.get("/report")
def report_page():
    return _with_dashboard("console/report.html")


@bp.get("/report.xlsx")
def report_download():
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


# --- Zalo connection: an OA admin grants access again (zalo-oa.md §4) -------------------------

# The grant in progress: its `state` and PKCE `code_verifier`, kept in the Flask session.
GRANT = "zalo_grant"


def _zalo_page(status: int = 200):
    """Whether the bot holds a token pair, and how fresh it is (never the tokens themselves)."""
    runtime = current_runtime()
    with runtime.session(read_only=True) as db:
        row = db.get(ZaloToken, TOKEN_ROW)
        pair = row and {"renewed_at": row.updated_at, "expires_at": row.expires_at,
                        "expired": row.expires_at <= utcnow()}
    return render_template("console/zalo.html", pair=pair, renewal=getattr(runtime.zalo, "last_renewal", None),
                           from_settings=bool(runtime.settings.zalo_refresh_token),
                           callback=url_for(".zalo_callback", _external=True)), status


@bp.get("/zalo")
def zalo():
    return _zalo_page()


@bp.post("/zalo/grant")
def zalo_grant():
    """Off to Zalo's consent page, with a fresh `state` and PKCE pair for this browser only."""
    settings = _settings()
    verifier, state = new_code_verifier(), secrets.token_urlsafe(32)
    flask_session[GRANT] = {"state": state, "verifier": verifier}
    return redirect(consent_url(settings.zalo_oauth_base, settings.zalo_app_id,
                                url_for(".zalo_callback", _external=True), code_challenge(verifier), state))


def _grant_refused(message: str, status: int):
    flash(f"{message} Bot vẫn dùng cặp mã cũ (nếu có): không có gì thay đổi.", "error")
    return _zalo_page(status)


@bp.get("/zalo/callback")
def zalo_callback():
    """Where Zalo sends the admin back. A `state` other than the one this session sent away
    (a forged or stale link) leaves the grant in progress, and everything else, untouched."""
    pending = flask_session.get(GRANT)
    given = request.args.get("state", "")
    if not isinstance(pending, dict) or not hmac.compare_digest(given.encode(), str(pending.get("state")).encode()):
        log.warning("console: a Zalo grant callback with an unknown state was refused")
        return _grant_refused("Liên kết cấp quyền không hợp lệ hoặc đã hết hạn. Anh/chị bấm «Cấp quyền lại» để "
                              "bắt đầu lại.", 400)
    flask_session.pop(GRANT)
    code = request.args.get("code", "")
    if request.args.get("error"):
        return _grant_refused("Quyền chưa được cấp: trên trang của Zalo, quản trị viên OA đã bấm «Từ chối».", 400)
    if not code:
        return _grant_refused("Zalo không gửi lại mã cấp quyền.", 400)
    try:
        current_runtime().zalo.exchange_code(code, pending["verifier"])
    except ZaloError as error:
        return _grant_refused(f"Zalo không chấp nhận yêu cầu cấp quyền (lỗi {error.code}). Anh/chị bấm "
                              "«Cấp quyền lại» để thử lại.", 502)
    except ZaloTransportError:
        return _grant_refused("Không kết nối được tới Zalo. Anh/chị đợi ít phút rồi bấm «Cấp quyền lại».", 502)
    flash("Đã kết nối lại với Zalo: bot dùng quyền vừa được cấp để gửi tin.", "ok")
    return redirect(url_for(".zalo"))
