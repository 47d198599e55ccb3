"""The Zalo connection: whether the bot holds a token pair, and an OA admin granting access again
(docs/zalo.md, tokens), through the Zalo client."""

from __future__ import annotations

import hmac
import logging
import secrets

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask import session as flask_session

from console.pages.common import current_settings
from storage.models import ZaloToken, utcnow
from zalo.errors import ZaloError, ZaloTransportError
from zalo.runtime import current_runtime
from zalo.tokens import TOKEN_ROW, code_challenge, consent_url, new_code_verifier

log = logging.getLogger(__name__)

bp = Blueprint("zalo", __name__)

# The grant in progress: its `state` and PKCE `code_verifier`, kept in the Flask session.
GRANT = "zalo_grant"


@bp.get("/zalo")
def page():
    """Whether the bot holds a token pair, and how fresh it is (never the tokens themselves)."""
    runtime = current_runtime()
    with runtime.session(read_only=True) as db:
        row = db.get(ZaloToken, TOKEN_ROW)
        pair = row and {"renewed_at": row.updated_at, "expires_at": row.expires_at,
                        "expired": row.expires_at <= utcnow()}
    return render_template("console/zalo.html", pair=pair, renewal=getattr(runtime.zalo, "last_renewal", None),
                           from_settings=bool(runtime.settings.zalo_refresh_token),
                           callback=url_for(".callback", _external=True))


@bp.post("/zalo/grant")
def grant():
    """Off to Zalo's consent page, with a fresh `state` and PKCE pair for this browser only."""
    settings = current_settings()
    verifier, state = new_code_verifier(), secrets.token_urlsafe(32)
    flask_session[GRANT] = {"state": state, "verifier": verifier}
    return redirect(consent_url(settings.zalo_oauth_base, settings.zalo_app_id,
                                url_for(".callback", _external=True), code_challenge(verifier), state))


def _refused(message: str, status: int):
    flash(f"{message} Bot vẫn dùng cặp mã cũ (nếu có): không có gì thay đổi.", "error")
    return page(), status


@bp.get("/zalo/callback")
def callback():
    """Where Zalo sends the admin back. A `state` other than the one this session sent away
    (a forged or stale link) leaves the grant in progress, and everything else, untouched."""
    pending = flask_session.get(GRANT)
    given = request.args.get("state", "")
    if not isinstance(pending, dict) or not hmac.compare_digest(given.encode(), str(pending.get("state")).encode()):
        log.warning("console: a Zalo grant callback with an unknown state was refused")
        return _refused("Liên kết cấp quyền không hợp lệ hoặc đã hết hạn. Anh/chị bấm «Cấp quyền lại» để "
                        "bắt đầu lại.", 400)
    flask_session.pop(GRANT)
    code = request.args.get("code", "")
    if request.args.get("error"):
        return _refused("Quyền chưa được cấp: trên trang của Zalo, quản trị viên OA đã bấm «Từ chối».", 400)
    if not code:
        return _refused("Zalo không gửi lại mã cấp quyền.", 400)
    try:
        current_runtime().zalo.exchange_code(code, pending["verifier"])
    except ZaloError as error:
        return _refused(f"Zalo không chấp nhận yêu cầu cấp quyền (lỗi {error.code}). Anh/chị bấm "
                        "«Cấp quyền lại» để thử lại.", 502)
    except ZaloTransportError:
        return _refused("Không kết nối được tới Zalo. Anh/chị đợi ít phút rồi bấm «Cấp quyền lại».", 502)
    flash("Đã kết nối lại với Zalo: bot dùng quyền vừa được cấp để gửi tin.", "ok")
    return redirect(url_for(".page"))
