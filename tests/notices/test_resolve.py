"""Names as notices write them, resolved against the sample directory as a clerk would."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest

from notices.resolve import OfficerRef, Resolver, UnitRef

SAMPLES = Path(__file__).resolve().parents[2] / "dev" / "samples"


def sample_directory() -> tuple[list[UnitRef], list[OfficerRef]]:
    with open(SAMPLES / "units.csv", encoding="utf-8") as f:
        units = [
            UnitRef(i, row["code"], row["name"], row["kind"], tuple(a for a in row["aliases"].split(";") if a))
            for i, row in enumerate(csv.DictReader(f), start=1)
        ]
    ids = {u.code: u.id for u in units}
    with open(SAMPLES / "officers.csv", encoding="utf-8") as f:
        officers = [OfficerRef(i, row["full_name"], ids[row["unit"]]) for i, row in enumerate(csv.DictReader(f), 1)]
    return units, officers


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(*sample_directory())


def codes(match) -> list[str]:
    return [u.code for u in match.units]


@pytest.mark.parametrize("written, code", [
    ("Văn phòng Sở", "VP"),
    ("VĂN PHÒNG SỞ", "VP"),
    ("Van phong So", "VP"),
    ("Văn phòng", "VP"),
    ("Phòng Quản lý CN&ĐMST", "QLCN"),
    ("Phòng Quản lý Công nghệ và Đổi mới sáng tạo", "QLCN"),
    ("phòng quản lý công nghệ và ĐMST", "QLCN"),
    ("Quản lý CN&ĐMST", "QLCN"),
    ("Phòng QLCN & ĐMST", "QLCN"),
    ("Phong Quan ly CN - DMST", "QLCN"),
    (unicodedata.normalize("NFD", "Phòng Quản lý CN&ĐMST"), "QLCN"),
    ("Phòng Quản lý khoa học", "QLKH"),
    ("Phòng QLKH", "QLKH"),
    ("Quản lý khoa học", "QLKH"),
    ("Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng", "TDC"),
    ("Phòng Quản lý Tiêu chuẩn - Đo lường - Chất lượng", "TDC"),
    ("Phòng TĐC", "TDC"),
    ("Phòng Kế hoạch - Tài chính", "KHTC"),
    ("Phòng Kế hoạch – Tài chính", "KHTC"),
    ("Phòng KH-TC", "KHTC"),
    ("phòng khtc", "KHTC"),
    ("Kế hoạch — Tài chính", "KHTC"),
    ("Thanh tra Sở", "TTRA"),
    ("Thanh tra", "TTRA"),
    ("Trung tâm Nghiên cứu, CGCN&ĐMST", "TTCGCN"),
    ("Trung tâm Nghiên cứu, Chuyển giao công nghệ và ĐMST", "TTCGCN"),
    ("Trung tâm Kỹ thuật TĐC", "TTKT"),
    ("Trung tâm Kỹ thuật Tiêu chuẩn, Đo lường, Chất lượng", "TTKT"),
    ("Chi đoàn Thanh niên", "CDTN"),
    ("Ban Giám đốc", "BGD"),
    ("BGĐ Sở", "BGD"),
    ("Lãnh đạo Sở", "BGD"),
])
def test_unit_names_resolve(resolver, written, code):
    match = resolver.units_in(written)
    assert codes(match) == [code]
    assert match.unresolved == ()


@pytest.mark.parametrize("written, expected", [
    ("Các đơn vị thuộc Sở", ["TTCGCN", "TTKT"]),
    ("các đơn vị trực thuộc Sở", ["TTCGCN", "TTKT"]),
    ("CAC DON VI THUOC SO", ["TTCGCN", "TTKT"]),
    ("Các phòng", ["VP", "QLCN", "QLKH", "TDC", "KHTC", "TTRA"]),
])
def test_groups_stand_for_every_unit_of_their_kind(resolver, written, expected):
    match = resolver.units_in(written)
    assert codes(match) == expected
    assert match.groups == (written,)


@pytest.mark.parametrize("written, expected", [
    ("Phòng Quản lý CN&ĐMST, Trung tâm Nghiên cứu, CGCN&ĐMST", ["QLCN", "TTCGCN"]),
    (["Phòng Quản lý CN&ĐMST", "Trung tâm Nghiên cứu", "CGCN&ĐMST"], ["QLCN", "TTCGCN"]),
    ("các phòng: Quản lý CN&ĐMST, Quản lý khoa học, Văn phòng Sở", ["QLCN", "QLKH", "VP"]),
    (["các phòng: Quản lý CN&ĐMST", "Quản lý khoa học", "Văn phòng Sở"], ["QLCN", "QLKH", "VP"]),
    ("Phòng Kế hoạch – Tài chính và Văn phòng Sở", ["KHTC", "VP"]),
    ("Phòng Kế hoạch – Tài chính; Thanh tra Sở; Phòng KH-TC", ["KHTC", "TTRA"]),
])
def test_lists_of_units_are_split_where_the_directory_says(resolver, written, expected):
    match = resolver.units_in(written)
    assert codes(match) == expected
    assert match.unresolved == ()
    assert match.groups == ()


def test_what_is_not_in_the_directory_is_returned_as_written(resolver):
    match = resolver.units_in("Phòng Quản lý CN&ĐMST, Sở Tài chính, UBND tỉnh; Phòng Tổ chức")
    assert codes(match) == ["QLCN"]
    assert match.unresolved == ("Sở Tài chính", "UBND tỉnh", "Phòng Tổ chức")
    assert resolver.units_in("Phòng Quản lý CN").unresolved == ("Phòng Quản lý CN",)


def test_an_unknown_name_holding_a_comma_or_and_is_reported_whole(resolver):
    assert resolver.units_in("Sở Khoa học và Công nghệ").unresolved == ("Sở Khoa học và Công nghệ",)
    match = resolver.units_in("Trung tâm Phát triển, Ứng dụng KH&CN, Sở Tài chính và Văn phòng Sở")
    assert codes(match) == ["VP"]
    assert match.unresolved == ("Trung tâm Phát triển, Ứng dụng KH&CN", "Sở Tài chính")


@pytest.mark.parametrize("written, expected", [
    ("Phòng QLKH, QLCN", ["QLKH", "QLCN"]),
    ("KHTC", ["KHTC"]),
    ("VP", ["VP"]),
])
def test_a_unit_is_also_known_by_its_directory_code(resolver, written, expected):
    match = resolver.units_in(written)
    assert (codes(match), match.unresolved) == (expected, ())


def test_a_code_never_hides_a_name():
    units, officers = sample_directory()
    units = [u if u.code != "TDC" else UnitRef(u.id, "QLTDC", u.name, u.kind, u.aliases) for u in units]
    units.append(UnitRef(99, "TDC", "Trạm Đo lường cơ sở", "affiliated"))  # its code is the other's alias
    resolver = Resolver(units, officers)
    assert codes(resolver.units_in("Phòng TĐC")) == ["QLTDC"]
    assert codes(resolver.units_in("Trạm Đo lường cơ sở")) == ["TDC"]


def test_a_name_shared_by_two_units_is_not_guessed():
    units, officers = sample_directory()
    units.append(UnitRef(99, "TTRA2", "Thanh tra Sở (cũ)", "department", ("Thanh tra",)))
    match = Resolver(units, officers).units_in("Thanh tra")
    assert match.units == ()
    assert match.unresolved == ("Thanh tra",)


@pytest.mark.parametrize("written, full_name", [
    ("Lê Hùng", "Lê Hùng"),
    ("LÊ HÙNG", "Lê Hùng"),
    ("le hung", "Lê Hùng"),
    (unicodedata.normalize("NFD", "Lê Hùng"), "Lê Hùng"),
    ("Nguyễn Hữu Thắng", "Nguyễn Hữu Thắng"),
    ("PGĐ Sở Nguyễn Hữu Thắng", "Nguyễn Hữu Thắng"),
    ("đồng chí Nguyễn Hữu Thắng", "Nguyễn Hữu Thắng"),
    ("Hữu Thắng", "Nguyễn Hữu Thắng"),
    ("đ/c Hùng", "Lê Hùng"),
    ("Đ/c Nhung", "Trần Thị Nhung"),
    ("đ/c Dung", "Võ Thị Dung"),
    ("chị Lan", "Bùi Thị Lan"),
])
def test_people_resolve(resolver, written, full_name):
    match = resolver.person(written)
    assert match.officer is not None and match.officer.full_name == full_name


@pytest.mark.parametrize("written", ["đ/c Dũng", "Trần Văn Không", "đ/c", "Thắng Hữu"])
def test_people_not_in_the_directory_stay_unresolved(resolver, written):
    match = resolver.person(written)
    assert match.officer is None and match.candidates == ()


def test_a_given_name_shared_by_two_officers_is_not_guessed():
    units, officers = sample_directory()
    officers.append(OfficerRef(99, "Nguyễn Văn Hùng", units[0].id))
    match = Resolver(units, officers).person("đ/c Hùng")
    assert match.officer is None
    assert sorted(o.full_name for o in match.candidates) == ["Lê Hùng", "Nguyễn Văn Hùng"]
    assert Resolver(units, officers).person("Lê Hùng").officer.full_name == "Lê Hùng"
