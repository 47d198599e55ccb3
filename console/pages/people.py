"""One unit or officer: add, edit, deactivate in a form (`console.people`), and «Cấp mã liên kết»:
a one-time code and a QR code that opens the OA's chat (docs/console.md, link codes)."""

from __future__ import annotations

from urllib.parse import quote

import segno
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlmodel import select

from console import people
from console.pages.common import ROLE_LABELS, UNIT_KIND_LABELS, current_settings, int_arg
from handlers.linking import issue_link_code
from storage.models import LinkCode, Officer, Unit, utcnow
from zalo.runtime import current_runtime

bp = Blueprint("people", __name__)


def _units(session) -> list[Unit]:
    return list(session.exec(select(Unit).where(Unit.active == True).order_by(Unit.id)))  # noqa: E712


def _officer_page(officer: Officer | None, status: int = 200, form=None):
    runtime = current_runtime()
    now = utcnow()
    with runtime.session(read_only=True) as session:
        codes = [] if officer is None or officer.id is None else list(session.exec(
            select(LinkCode).where(LinkCode.officer_id == officer.id, LinkCode.used_at.is_(None),
                                   LinkCode.expires_at > now).order_by(LinkCode.id.desc())))
        units = _units(session)
    return render_template("console/officer.html", officer=officer, units=units, roles=ROLE_LABELS, codes=codes,
                           form=form or {}), status


@bp.get("/directory/officers/new")
def new_officer():
    return _officer_page(None)


def _stored(model, row_id: int):
    """The unit or officer of this id, else a plain "not found"."""
    with current_runtime().session(read_only=True) as session:
        found = session.get(model, row_id)
    if found is None:
        abort(404)
    return found


@bp.get("/directory/officers/<int:officer_id>")
def officer_page(officer_id: int):
    return _officer_page(_stored(Officer, officer_id))


def _officer_input() -> people.OfficerInput:
    form = request.form
    return people.OfficerInput(form.get("full_name", ""), form.get("title", ""), int_arg("unit_id", source=form),
                               form.get("role", ""), form.get("phone", ""))


@bp.post("/directory/officers/new", endpoint="add_officer")
@bp.post("/directory/officers/<int:officer_id>")
def save_officer(officer_id: int | None = None):
    try:
        with current_runtime().session() as session:
            officer = people.save_officer(session, officer_id, _officer_input())
            saved = (officer.id, officer.full_name)
    except people.PeopleRefused as refused:
        flash(f"{refused} Không có gì thay đổi.", "error")
        with current_runtime().session(read_only=True) as session:
            officer = session.get(Officer, officer_id) if officer_id else None
        return _officer_page(officer, 400, request.form)
    flash(f"Đã lưu cán bộ {saved[1]}.", "ok")
    return redirect(url_for(".officer_page", officer_id=saved[0]))


@bp.post("/directory/officers/<int:officer_id>/active")
def officer_active(officer_id: int):
    active = request.form.get("active") == "1"
    with current_runtime().session() as session:
        officer = session.get(Officer, officer_id)
        if officer is None:
            abort(404)
        people.set_officer_active(session, officer, active)
        name = officer.full_name
    flash(f"{name} {'làm việc trở lại' if active else 'đã được cho nghỉ: không nhận việc và lời nhắc nữa'}.", "ok")
    return redirect(url_for(".officer_page", officer_id=officer_id))


def chat_link(code: str) -> str | None:
    """The link a phone opens from the QR code: the OA's chat (docs/console.md, link codes)."""
    settings = current_settings()
    if not settings.zalo_oa_id:
        return None
    return settings.zalo_chat_link.format(oa_id=quote(settings.zalo_oa_id), text=quote(f"đăng ký {code}"))


@bp.post("/directory/officers/<int:officer_id>/link-code")
def link_code(officer_id: int):
    """A new code for this officer; earlier ones stay valid unless the clerk ticked «hủy mã cũ»."""
    runtime = current_runtime()
    with runtime.session() as session:
        officer = session.get(Officer, officer_id)
        if officer is None:
            abort(404)
        if not officer.active:
            flash(f"{officer.full_name} đã nghỉ: không cấp mã liên kết.", "error")
            return redirect(url_for(".officer_page", officer_id=officer_id))
        row = issue_link_code(session, officer, utcnow(), void_earlier=request.form.get("replace") == "1")
        code, expires, name = row.code, row.expires_at, officer.full_name
    link = chat_link(code)
    qr = segno.make(link, error="m").svg_inline(scale=5, dark="#1d2733") if link else None
    return render_template("console/link_code.html", officer_id=officer_id, name=name, code=code, expires=expires,
                           link=link, qr=qr, replaced=request.form.get("replace") == "1")


# --- units ------------------------------------------------------------------------------------------

def _unit_page(unit: Unit | None, status: int = 200, form=None):
    return render_template("console/unit.html", unit=unit, kinds=UNIT_KIND_LABELS, form=form or {}), status


@bp.get("/directory/units/new")
def new_unit():
    return _unit_page(None)


@bp.get("/directory/units/<int:unit_id>")
def unit_page(unit_id: int):
    return _unit_page(_stored(Unit, unit_id))


@bp.post("/directory/units/new", endpoint="add_unit")
@bp.post("/directory/units/<int:unit_id>")
def save_unit(unit_id: int | None = None):
    form = request.form
    given = people.UnitInput(form.get("code", ""), form.get("name", ""), form.get("aliases", ""), form.get("kind", ""))
    try:
        with current_runtime().session() as session:
            unit = people.save_unit(session, unit_id, given)
            name = unit.name
    except people.PeopleRefused as refused:
        flash(f"{refused} Không có gì thay đổi.", "error")
        with current_runtime().session(read_only=True) as session:
            unit = session.get(Unit, unit_id) if unit_id else None
        return _unit_page(unit, 400, form)
    flash(f"Đã lưu đơn vị {name}.", "ok")
    return redirect(url_for("console.directory.page"))


@bp.post("/directory/units/<int:unit_id>/active")
def unit_active(unit_id: int):
    active = request.form.get("active") == "1"
    try:
        with current_runtime().session() as session:
            unit = session.get(Unit, unit_id)
            if unit is None:
                abort(404)
            people.set_unit_active(session, unit, active)
            name = unit.name
    except people.PeopleRefused as refused:
        flash(f"{refused} Không có gì thay đổi.", "error")
        return redirect(url_for(".unit_page", unit_id=unit_id))
    flash(f"{name} {'hoạt động trở lại' if active else 'đã ngừng: không còn được chọn khi giao việc'}.", "ok")
    return redirect(url_for(".unit_page", unit_id=unit_id))
