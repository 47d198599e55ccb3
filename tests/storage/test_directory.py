"""Loading the directory files: insert or update, safe to repeat, bad files change nothing."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from storage.directory import DirectoryError, load_directory
from storage.models import Officer, Unit
from tests.fixtures.db import both_databases

UNITS_HEADER = "code,name,aliases,kind\n"
OFFICERS_HEADER = "full_name,title,unit,role,phone,zalo_user_id\n"


def counts(runtime) -> tuple[int, int]:
    with runtime.session(read_only=True) as session:
        return (session.exec(select(func.count()).select_from(Unit)).one(),
                session.exec(select(func.count()).select_from(Officer)).one())


@both_databases
def test_the_sample_directory_loads_and_loading_again_changes_nothing(runtime, directory):
    assert counts(runtime) == (10, 13)
    with runtime.session() as session:
        summary = load_directory(session, directory / "units.csv", directory / "officers.csv")
    assert (summary.units_added, summary.units_updated, summary.officers_added, summary.officers_updated) == (0, 0, 0, 0)
    with runtime.session(read_only=True) as session:
        qlcn = session.exec(select(Unit).where(Unit.code == "QLCN")).one()
        binh = session.exec(select(Officer).where(Officer.full_name == "Phạm Thị Bình")).one()
    assert qlcn.aliases == ["Phòng Quản lý CN&ĐMST", "Phòng QLCN&ĐMST"]
    assert binh.unit_id == qlcn.id and binh.role == "head" and binh.zalo_user_id == "5000000000000000005"


def test_an_update_changes_the_row_and_keeps_a_linked_zalo_account(runtime, directory, tmp_path):
    with runtime.session() as session:
        chau = session.exec(select(Officer).where(Officer.full_name == "Hoàng Minh Châu")).one()
        chau.zalo_user_id = "linked-by-code"
        session.add(chau)
    officers = tmp_path / "officers.csv"
    officers.write_text(OFFICERS_HEADER + "Hoàng Minh Châu,Phó Trưởng phòng,QLCN,head,0900000099,\n", encoding="utf-8")
    with runtime.session() as session:
        summary = load_directory(session, directory / "units.csv", officers)
    assert summary.officers_updated == 1
    with runtime.session(read_only=True) as session:
        chau = session.exec(select(Officer).where(Officer.full_name == "Hoàng Minh Châu")).one()
    assert (chau.title, chau.role, chau.phone, chau.zalo_user_id) == ("Phó Trưởng phòng", "head", "0900000099", "linked-by-code")


@pytest.mark.parametrize("units, officers, message", [
    (UNITS_HEADER + "X,Phòng X,,team\n", OFFICERS_HEADER, "kind 'team' không thuộc"),
    (UNITS_HEADER + "X,Phòng X,,office\n", OFFICERS_HEADER + "An,CV,Y,member,,\n", "đơn vị 'Y' không có"),
    (UNITS_HEADER + "X,Phòng X,,office\n", OFFICERS_HEADER + "An,CV,X,boss,,\n", "role 'boss' không thuộc"),
    ("code,name\nX,Phòng X\n", OFFICERS_HEADER, "thiếu cột"),
    (UNITS_HEADER + "X,Phòng X,,office\n", OFFICERS_HEADER + "An,CV,X,member,,\nAn,TP,X,head,,\n", "An đã có ở dòng 2"),
    (UNITS_HEADER + "X,Phòng X,,office\n", OFFICERS_HEADER + "An,CV,X,member,,111\nBa,CV,X,member,,111\n",
     "o.csv:3: zalo_user_id 111 đã là của An"),
    (UNITS_HEADER + ",Phòng X,,office\n", OFFICERS_HEADER, "u.csv:2: cần có code và name"),
    (UNITS_HEADER + "X,Phòng X,,office\n", OFFICERS_HEADER + ",CV,X,member,,\n", "o.csv:2: cần có full_name"),
    (UNITS_HEADER + "X,Phòng X,,office\n", OFFICERS_HEADER + "An,CV,X,member,,\nBa,CV,Y,member,,\n",
     "o.csv:3: đơn vị 'Y' không có trong tệp đơn vị"),
    ("code,name,aliases,kind,directed_by\nX,Phòng X,,office,Không Ai\n", OFFICERS_HEADER,
     "u.csv:2: directed_by 'Không Ai' không có trong tệp cán bộ"),
])
def test_a_bad_file_says_what_is_wrong_and_changes_nothing(runtime, tmp_path, units, officers, message):
    (tmp_path / "u.csv").write_text(units, encoding="utf-8")
    (tmp_path / "o.csv").write_text(officers, encoding="utf-8")
    with pytest.raises(DirectoryError, match=message):
        with runtime.session() as session:
            load_directory(session, tmp_path / "u.csv", tmp_path / "o.csv")
    assert counts(runtime) == (0, 0)


def test_a_file_that_is_not_utf8_is_refused(runtime, tmp_path):
    (tmp_path / "u.csv").write_bytes((UNITS_HEADER + "VP,Văn phòng Sở,,office\n").encode("utf-16"))
    (tmp_path / "o.csv").write_text(OFFICERS_HEADER, encoding="utf-8")
    with pytest.raises(DirectoryError, match="không phải văn bản UTF-8"):
        with runtime.session() as session:
            load_directory(session, tmp_path / "u.csv", tmp_path / "o.csv")


def test_a_unit_may_name_the_leader_who_directs_it(runtime, directory, tmp_path):
    units = (directory / "units.csv").read_text(encoding="utf-8").replace("code,name,aliases,kind", "code,name,aliases,kind,directed_by")
    units = units.replace("Phòng QLKH,department", "Phòng QLKH,department,Nguyễn Hữu Thắng")
    (tmp_path / "units.csv").write_text(units, encoding="utf-8")
    with runtime.session() as session:
        load_directory(session, tmp_path / "units.csv", directory / "officers.csv")
    with runtime.session(read_only=True) as session:
        qlkh = session.exec(select(Unit).where(Unit.code == "QLKH")).one()
        thang = session.exec(select(Officer).where(Officer.full_name == "Nguyễn Hữu Thắng")).one()
    assert qlkh.director_id == thang.id
