"""Tasks collected from the tree: their units, people, references and deadlines."""

from __future__ import annotations

from datetime import date
from textwrap import dedent

from notices import read_notice_text
from tests.notices.sample_notices import EMAIL, MINISTER, by_ref


def test_people_given_a_task(ministry):
    task = by_ref(ministry)["II.3"]
    assert task.assignees == ["Dũng"] and task.deadline.date == date(2025, 4, 30)


FLAT = dedent(
    """\
    Kết luận giao ban tuần 52 năm 2025
    Ngày 22/12/2025, Giám đốc Sở chủ trì họp giao ban và giao nhiệm vụ như sau:
    - Văn phòng Sở:
    - Tổng hợp báo cáo năm, trình Giám đốc Sở trước 16h00 ngày 26/12/2025.
    - Chuẩn bị phòng họp phục vụ Hội nghị tổng kết ngày 5/1 (8h30).
    - Giao đồng chí Lê Hùng và đồng chí Trần Văn Bình theo dõi, đôn đốc hằng tuần.
    - Thanh tra Sở:
    - Xây dựng kế hoạch thanh tra năm 2026, hoàn thành trong tháng 1.
    - Phối hợp với các phòng: Quản lý khoa học, Kế hoạch - Tài chính thực hiện rà soát văn bản.
    - Trung tâm Nghiên cứu, CGCN&ĐMST chủ trì tổ chức Techfest trong khoảng từ 25/12 đến 5/1.
    """
)


def test_headings_written_as_bullets_head_the_bullets_after_them():
    tasks = by_ref(read_notice_text(FLAT))
    assert [(r, t.unit) for r, t in tasks.items()] == [
        ("1.1", "Văn phòng Sở"), ("1.2", "Văn phòng Sở"), ("1.3", "Văn phòng Sở"),
        ("2.1", "Thanh tra Sở"), ("2.2", "Thanh tra Sở"), ("2.3", "Thanh tra Sở"),
    ]
    assert tasks["1.2"].deadline.to_dict() == {
        "raw": "ngày 5/1 (8h30)", "kind": "meeting", "date": "2026-01-05", "time": "08:30", "start": None,
    }
    assert tasks["1.3"].assignees == ["Lê Hùng", "Trần Văn Bình"]
    assert tasks["2.2"].coordinating == ["Phòng Quản lý khoa học", "Phòng Kế hoạch - Tài chính"]


def test_a_task_naming_its_own_unit_outside_any_heading():
    text = FLAT.replace("- Thanh tra Sở:\n", "").replace("- Xây dựng kế hoạch", "+ Xây dựng kế hoạch")
    text = text.replace("- Văn phòng Sở:\n", "")
    tasks = read_notice_text(text).tasks
    last = tasks[-1]
    assert last.unit == "Trung tâm Nghiên cứu, CGCN&ĐMST"
    assert (last.deadline.start, last.deadline.date) == (date(2025, 12, 25), date(2026, 1, 5))


def test_short_numbered_items_without_a_full_stop_are_tasks():
    text = dedent(
        """\
        THÔNG BÁO
        Kết luận giao ban ngày 03/3/2025
        Giám đốc Sở kết luận như sau:
        1. Văn phòng Sở:
        a) Rà soát quy chế làm việc
        b) Chuẩn bị hội nghị cán bộ
        2. Thanh tra Sở
        3. Tổng hợp ý kiến góp ý dự thảo Luật
        """
    )
    notice = read_notice_text(text)
    assert [(t.ref, t.unit, t.text) for t in notice.tasks] == [
        ("1.a", "Văn phòng Sở", "Rà soát quy chế làm việc"),
        ("1.b", "Văn phòng Sở", "Chuẩn bị hội nghị cán bộ"),
        ("3", None, "Tổng hợp ý kiến góp ý dự thảo Luật"),
    ]
    assert notice.warnings == ["mục 2 “Thanh tra Sở” không có nhiệm vụ nào"]


def test_an_account_of_the_past_is_not_a_task_even_when_it_speaks_of_tasks(email):
    assert [t.ref for t in email.tasks] == ["II.1.a", "II.1.b", "II.2", "II.3", "II.4", "II.5.1"]
    assert not any("bám sát" in t.text for t in email.tasks)


def test_a_lettered_task_keeps_its_sub_items(email):
    tasks = by_ref(email)
    assert tasks["II.1.a"].text.splitlines() == [
        "Rà soát quy chế chi tiêu nội bộ, cụ thể:", "- Quy chế chi tiêu: trước 20/01;", "- Quy chế dân chủ: trước 25/01.",
    ]
    assert tasks["II.1.a"].deadline.date == date(2025, 1, 25)
    assert tasks["II.1.b"].text.splitlines()[1:] == ["+ Nhiệm vụ cấp tỉnh;", "+ Nhiệm vụ cấp cơ sở."]


def test_a_numbered_item_whose_sub_items_name_their_units_heads_them():
    text = EMAIL.replace("5. Phòng Kế hoạch - Tài chính: hoàn thành quyết toán trước 30/01/2025.", (
        "5. Tổ chức Hội nghị tổng kết năm 2024:\n- Văn phòng Sở chuẩn bị hội trường trước 20/01;\n"
        "- Phòng Kế hoạch - Tài chính bố trí kinh phí."))
    tasks = by_ref(read_notice_text(text))
    assert [(r, t.unit) for r, t in tasks.items() if r.startswith("II.5")] == [
        ("II.5.1", "Văn phòng Sở"), ("II.5.2", "Phòng Kế hoạch - Tài chính")]


def test_a_task_given_to_a_person_names_the_unit_that_does_it(email):
    tasks = by_ref(email)
    assert (tasks["II.2"].unit, tasks["II.2"].assignees) == ("Phòng Quản lý CN&ĐMST", ["Nguyễn Hữu Thắng"])
    assert (tasks["II.3"].unit, tasks["II.3"].assignees) == ("Trung tâm Kỹ thuật TĐC", ["Lý Văn Nam"])
    assert (tasks["II.4"].unit, tasks["II.4"].assignees) == (None, ["Lê Hùng"])


def test_a_unit_named_after_a_short_lead_is_the_doer():
    text = EMAIL.replace("4. Giao đồng chí Lê Hùng theo dõi", "4. Các nội dung khác: Giao Văn phòng Sở theo dõi")
    assert by_ref(read_notice_text(text))["II.4"].unit == "Văn phòng Sở"


def test_a_deadline_in_brackets_is_written_without_a_lone_bracket():
    task = read_notice_text(MINISTER).tasks[-1]
    assert (task.ref, task.unit) == ("II.4.2", "Văn phòng Bộ")
    assert task.deadline.to_dict() == {
        "raw": "7 giờ 30’, thứ Hai, ngày 06/5/2024", "kind": "meeting", "date": "2024-05-06", "time": "07:30", "start": None,
    }
