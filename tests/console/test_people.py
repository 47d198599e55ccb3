"""Danh bạ by hand: one officer or unit in a form, one CSV file with Vietnamese column names shown
as changes before they are made, and «Cấp mã liên kết» with its QR code."""

from __future__ import annotations

import io
import re

from sqlmodel import select

from storage.models import LinkCode, Officer, Unit
from tests.fixtures.console import messages, post_form, table_rows, unit_id
from tests.fixtures.db import both_databases

CHAU = "Hoàng Minh Châu"


def officer(runtime, name: str) -> Officer | None:
    with runtime.session(read_only=True) as session:
        return session.exec(select(Officer).where(Officer.full_name == name)).first()


@both_databases
def test_an_officer_is_added_edited_and_let_go_in_a_form(client, runtime, directory):
    with runtime.session(read_only=True) as session:
        vp, qlkh = unit_id(session, "VP"), unit_id(session, "QLKH")
    form = {"full_name": "  Mai  Văn Mới ", "title": "Chuyên viên", "unit_id": vp, "role": "admin", "phone": "0912 345 678"}
    added = post_form(client, "/console/directory/officers/new", form, page="/console/directory/officers/new")
    assert added.status_code == 302
    new = officer(runtime, "Mai Văn Mới")
    assert (new.role, new.phone, new.unit_id) == ("admin", "0912345678", vp)
    page = client.get("/console/directory/officers/new").get_data(as_text=True)
    assert all(label in page for label in ("Lãnh đạo Sở", "Trưởng đơn vị", "Chuyên viên", "Văn thư"))

    twin = post_form(client, "/console/directory/officers/new", {**form, "full_name": "Lê Hùng"})
    assert twin.status_code == 400 and "đã có người tên Lê Hùng" in messages(twin.get_data(as_text=True))[0]
    post_form(client, f"/console/directory/officers/{new.id}", {**form, "unit_id": qlkh, "role": "member"})
    assert (officer(runtime, "Mai Văn Mới").unit_id, officer(runtime, "Mai Văn Mới").role) == (qlkh, "member")
    post_form(client, f"/console/directory/officers/{new.id}/active", {"active": "0"})
    assert not officer(runtime, "Mai Văn Mới").active
    rows = table_rows(client.get("/console/directory").get_data(as_text=True), "officers")
    assert any(r[0] == "Mai Văn Mới (đã nghỉ)" for r in rows)


def test_a_unit_is_added_and_closed_only_when_empty(client, runtime, directory):
    post_form(client, "/console/directory/units/new", {"code": "htqt", "name": "Phòng Hợp tác Quốc tế",
                                                        "aliases": "Phòng HTQT; HTQT", "kind": "department"})
    with runtime.session(read_only=True) as session:
        unit = session.exec(select(Unit).where(Unit.code == "HTQT")).one()
        vp = unit_id(session, "VP")
    assert unit.aliases == ["Phòng HTQT", "HTQT"]
    post_form(client, f"/console/directory/units/{unit.id}/active", {"active": "0"})
    refused = post_form(client, f"/console/directory/units/{vp}/active", {"active": "0"})
    assert "còn cán bộ" in messages(client.get(refused.headers["Location"]).get_data(as_text=True))[0]
    with runtime.session(read_only=True) as session:
        assert not session.get(Unit, unit.id).active and session.get(Unit, vp).active


def test_one_csv_file_with_vietnamese_columns_shows_its_changes_first(client, runtime, directory):
    data = ("Họ và tên,Chức vụ,Đơn vị,Vai trò,Điện thoại\n"
            "Mai Văn Mới,Chuyên viên,Văn phòng Sở,văn thư,0900000099\n"
            "Lê Hùng,Phó Chánh Văn phòng,VP,chuyên viên,0900000004\n").encode("utf-8-sig")
    preview = post_form(client, "/console/directory/file", {"file": (io.BytesIO(data), "can-bo.csv")},
                        page="/console/directory", content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    changes = {c[1]: c for c in table_rows(page, "directory-changes")[1:]}
    assert sorted((c[0], who) for who, c in changes.items()) == [("Sửa", "Cán bộ Lê Hùng"), ("Thêm", "Cán bộ Mai Văn Mới")]
    assert "chức vụ: Chuyên viên Văn phòng → Phó Chánh Văn phòng" in changes["Cán bộ Lê Hùng"][2]
    assert officer(runtime, "Mai Văn Mới") is None  # nothing before «Cập nhật danh bạ»
    done = post_form(client, "/console/directory/file/confirm", page="/console/directory")
    assert "cán bộ thêm 1, cập nhật 1" in messages(client.get(done.headers["Location"]).get_data(as_text=True), "ok")[0]
    assert officer(runtime, "Mai Văn Mới").role == "admin"
    assert officer(runtime, "Lê Hùng").title == "Phó Chánh Văn phòng"

    bad = "Họ và tên,Đơn vị,Vai trò\nAi Đó,Phòng Không Có,chuyên viên\n".encode()
    refused = post_form(client, "/console/directory/file", {"file": (io.BytesIO(bad), "sai.csv")},
                        page="/console/directory", content_type="multipart/form-data")
    assert refused.status_code == 400 and "Phòng Không Có" in messages(refused.get_data(as_text=True))[0]
    assert officer(runtime, "Ai Đó") is None


def code_on(page: str) -> str:
    return re.search(r'id="link-code">([A-Z0-9]+)<', page)[1]


def test_a_link_code_with_its_qr_and_a_second_code_that_voids_only_when_asked(client, runtime, directory, settings):
    chau = officer(runtime, CHAU)
    first = post_form(client, f"/console/directory/officers/{chau.id}/link-code",
                      page=f"/console/directory/officers/{chau.id}").get_data(as_text=True)
    code = code_on(first)
    assert "<svg" in first and f"https://zalo.me/{settings.zalo_oa_id}" in first and f"đăng ký {code}" in first
    second = code_on(post_form(client, f"/console/directory/officers/{chau.id}/link-code",
                               page=f"/console/directory/officers/{chau.id}").get_data(as_text=True))
    with runtime.session(read_only=True) as session:
        live = {c.code for c in session.exec(select(LinkCode).where(LinkCode.voided_at.is_(None)))}
    assert {code, second} <= live
    third = code_on(post_form(client, f"/console/directory/officers/{chau.id}/link-code", {"replace": "1"},
                              page=f"/console/directory/officers/{chau.id}").get_data(as_text=True))
    with runtime.session(read_only=True) as session:
        voided = {c.code for c in session.exec(select(LinkCode).where(LinkCode.voided_at.is_not(None)))}
    assert voided == {code, second} and third not in voided
