"""People and units a task names, as written."""

from __future__ import annotations

import pytest

from notices.people import (
    find_assignees,
    find_coordinating,
    is_unit_name,
    signer_name,
    split_unit_list,
    unit_directed,
    unit_in_text,
)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Giao đồng chí Lê Hùng tham mưu theo dõi, quản trị", ["Lê Hùng"]),
        ("Giao PGĐ Sở Nguyễn Hữu Thắng chỉ đạo Văn phòng Sở nghiên cứu", ["Nguyễn Hữu Thắng"]),
        ("giao đ/c Dũng – PGĐ Sở: chỉ đạo hoàn thiện hồ sơ", ["Dũng"]),
        ("Đồng chí Nguyễn Văn An, Chánh Thanh tra chủ trì kiểm tra", ["Nguyễn Văn An"]),
        ("Giao đồng chí Lê Hùng và đồng chí Trần Văn Bình theo dõi", ["Lê Hùng", "Trần Văn Bình"]),
        ("Giao đồng chí Lê Hùng Văn phòng Sở tham mưu", ["Lê Hùng"]),
        ("Giao đồng chí Phó Giám đốc Sở phụ trách chỉ đạo", []),
        ("đồng chí Trưởng phòng Quản lý khoa học chủ trì", []),
        ("Chánh Văn phòng Sở báo cáo kết quả; phối hợp với đồng chí Lê Hùng", []),
        ("Giao Văn phòng Sở chủ trì", []),
        ("Giao đ/c Lê Hùng (Văn phòng) và đ/c Hoàng Minh Châu (Phòng QLCN&ĐMST) cập nhật", ["Lê Hùng", "Hoàng Minh Châu"]),
    ],
)
def test_people_given_a_task(text, names):
    assert find_assignees(text) == names


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("Phối hợp với các phòng: Quản lý CN&ĐMST, Quản lý khoa học, Văn phòng Sở thực hiện các hồ sơ",
         ["Phòng Quản lý CN&ĐMST", "Phòng Quản lý khoa học", "Văn phòng Sở"]),
        ("Phối hợp với Phòng Quản lý CN&ĐMST, Trung tâm Nghiên cứu, CGCN&ĐMST xây dựng triển khai",
         ["Phòng Quản lý CN&ĐMST", "Trung tâm Nghiên cứu, CGCN&ĐMST"]),
        ("Chủ trì, phối hợp với các phòng, đơn vị rà soát", ["các phòng, đơn vị"]),
        ("Phối hợp với Phòng Kế hoạch – Tài chính hoàn thành định mức", ["Phòng Kế hoạch – Tài chính"]),
        ("phối hợp với Văn phòng Sở và Thanh tra Sở kiểm tra", ["Văn phòng Sở", "Thanh tra Sở"]),
        ("phối hợp với Phòng Quản lý Công nghệ và Đổi mới sáng tạo thực hiện",
         ["Phòng Quản lý Công nghệ và Đổi mới sáng tạo"]),
        ("phối hợp chặt chẽ với các đơn vị liên quan để triển khai", ["các đơn vị liên quan"]),
        ("Phối hợp thực hiện kế hoạch", []),
    ],
)
def test_coordinating_units(text, units):
    assert find_coordinating(text) == units


def test_a_list_is_not_cut_inside_a_name():
    assert split_unit_list("Trung tâm Nghiên cứu, Chuyển giao công nghệ và Đổi mới sáng tạo, Thanh tra Sở") == [
        "Trung tâm Nghiên cứu, Chuyển giao công nghệ và Đổi mới sáng tạo", "Thanh tra Sở",
    ]


def test_known_names_settle_shorthand():
    assert split_unit_list("Phòng QLKH, QLCN") == ["Phòng QLKH, QLCN"]  # ambiguous without a directory
    assert split_unit_list("Phòng QLKH, QLCN", known=["Phòng QLKH", "Phòng QLCN"]) == ["Phòng QLKH", "Phòng QLCN"]
    assert split_unit_list("Trung tâm Kỹ thuật TĐC, Trung tâm Nghiên cứu, CGCN&ĐMST",
                           known=["Trung tâm Nghiên cứu, CGCN&ĐMST"]) == [
        "Trung tâm Kỹ thuật TĐC", "Trung tâm Nghiên cứu, CGCN&ĐMST"]


@pytest.mark.parametrize(
    ("text", "is_unit"),
    [("Văn phòng Sở", True), ("Phòng Kế hoạch - Tài chính", True), ("Các đơn vị thuộc Sở", True),
     ("Van phong So", True), ("Quỹ phát triển KH&CN", True), ("Quy chế làm việc", False), ("Trưởng phòng", False),
     ("Văn phòng Sở chủ trì", False), ("Tổ chức hội nghị", False), ("Phối hợp với các phòng", False)],
)
def test_unit_names(text, is_unit):
    assert is_unit_name(text) is is_unit


def test_the_unit_a_task_names_itself():
    assert unit_in_text("Giao Văn phòng Sở chủ trì, phối hợp") == "Văn phòng Sở"
    assert unit_in_text("Trung tâm Nghiên cứu, CGCN&ĐMST chủ trì tổ chức") == "Trung tâm Nghiên cứu, CGCN&ĐMST"
    assert unit_in_text("Trung tam Nghien cuu, CGCN&DMST chu tri to chuc") == "Trung tam Nghien cuu, CGCN&DMST"
    assert unit_in_text("Rà soát quy chế") is None


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Giao đồng chí Trưởng phòng Quản lý Khoa học chủ trì rà soát", "Phòng Quản lý Khoa học"),
        ("Giao Chánh Thanh tra Sở tổ chức thanh tra đo lường", "Thanh tra Sở"),
        ("Giao Giám đốc Trung tâm CGCN&ĐMST báo cáo kết quả", "Trung tâm CGCN&ĐMST"),
        ("Trường Đại học Quảng Trị phối hợp tổ chức hội thảo", "Trường Đại học Quảng Trị"),
        ("Giao Giám đốc Sở chủ trì", None),
    ],
)
def test_a_unit_named_by_its_head(text, unit):
    assert unit_in_text(text) == unit


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Giao PGĐ Sở Nguyễn Hữu Thắng chỉ đạo Văn phòng Sở nghiên cứu", "Văn phòng Sở"),
        ("Giao đ/c Nguyễn Hữu Thắng – PGĐ Sở: chỉ đạo Phòng Quản lý Khoa học hoàn thiện hồ sơ", "Phòng Quản lý Khoa học"),
        ("Giao ông Lý Văn Nam, Giám đốc Trung tâm Kỹ thuật TĐC báo cáo tình hình", "Trung tâm Kỹ thuật TĐC"),
        ("chỉ đạo Phòng QLKH hoàn thiện hồ sơ", "Phòng QLKH"),
        ("Giao đồng chí Lê Hùng tham mưu theo dõi tại Văn phòng Sở", None),
        ("giao đ/c Dũng – PGĐ Sở: chỉ đạo hoàn thiện hồ sơ", None),
        ("Phối hợp với đồng chí Lê Hùng, Văn phòng Sở", None),
    ],
)
def test_the_unit_a_person_is_given_to_direct(text, unit):
    assert unit_directed(text) == unit


@pytest.mark.parametrize(
    ("line", "name"),
    [("Trần Thị Nhung", "Trần Thị Nhung"), ("TRẦN THỊ NHUNG", "Trần Thị Nhung"), ("ThS. Lê Hùng", "Lê Hùng"),
     ("- Ban Giám đốc;", None), ("CHÁNH VĂN PHÒNG", None), ("Lưu: VT, VP.", None)],
)
def test_signature_lines(line, name):
    assert signer_name(line) == name
