"""Headings and items: what heads the tasks under it, and what belongs to a task."""

from __future__ import annotations

from datetime import date
from textwrap import dedent

from notices import read_notice_text
from tests.notices.sample_notices import MINISTRY, by_ref


def test_topic_headings_hold_unit_headings(ministry):
    tasks = by_ref(ministry)
    assert tasks["II.1.1.1"].unit == "Vụ Kế hoạch"
    assert tasks["II.1.1.1"].text.startswith("Chủ trì, phối hợp với Cục Thủy lợi")
    assert [t.unit for r, t in tasks.items() if r.startswith("II.1.2.")] == ["Cục Thủy lợi", "Cục Thủy lợi"]
    assert tasks["II.2.1.1"].unit == "Cục Chăn nuôi"  # "*Cục Chăn nuôi: …": heading and task on one line
    assert tasks["II.2.1.1"].deadline.kind == "period"


def test_a_list_after_a_colon_is_a_task_not_a_heading(ministry):
    task = by_ref(ministry)["II.1.2.2"]
    assert task.text.startswith("Phối hợp với các đơn vị: Vụ Kế hoạch")
    assert task.coordinating == ["Vụ Kế hoạch", "Vụ Tài chính", "Văn phòng Bộ"]


def test_a_task_spans_its_sub_items_and_keeps_the_last_deadline(ministry):
    task = by_ref(ministry)["II.2.2.2"]
    assert task.text.splitlines()[1:] == [
        "a) Chuẩn bị tài liệu trước 16h00 ngày 25/3/2025;",
        "b) Tổ chức hội nghị lúc 8h30 ngày 28/3/2025.",
    ]
    assert (task.deadline.kind, task.deadline.date, task.deadline.time) == ("meeting", date(2025, 3, 28), "08:30")
    assert len(task.warnings) == 1 and "lấy thời hạn muộn nhất" in task.warnings[0]


def test_a_following_paragraph_with_the_deadline_belongs_to_the_task(ministry):
    task = by_ref(ministry)["II.4.1"]
    assert task.unit == "Văn phòng Bộ"
    assert task.text.endswith("Thời hạn: trước ngày 10/4/2025.")
    assert task.deadline.raw == "trước ngày 10/4/2025" and task.warnings


def test_unit_headings_in_every_form():
    text = dedent(
        """\
        THÔNG BÁO
        Kết luận họp giao ban ngày 03/3/2025
        Giám đốc Sở kết luận như sau:
        I. Văn phòng Sở:
        a) Rà soát quy chế làm việc trong tháng 3/2025.
        b) Chuẩn bị hội nghị cán bộ.
        II. Đối với Thanh tra Sở:
        + Thanh tra việc chấp hành pháp luật về đo lường.
        III. Phòng Kế hoạch - Tài chính: Lập dự toán bổ sung trước ngày 15/3.
        Văn phòng Sở thông báo để các phòng thực hiện./.
        """
    )
    tasks = by_ref(read_notice_text(text))
    assert {r: t.unit for r, t in tasks.items()} == {
        "I.a": "Văn phòng Sở", "I.b": "Văn phòng Sở", "II.1": "Thanh tra Sở", "III.1": "Phòng Kế hoạch - Tài chính",
    }
    assert tasks["III.1"].deadline.date == date(2025, 3, 15)


def test_a_group_named_after_a_lead_word_heads_its_tasks():
    text = MINISTRY.replace("4. Văn phòng Bộ\n", "4. Đề nghị các sở, ngành liên quan:\n")
    tasks = by_ref(read_notice_text(text))
    assert tasks["II.4.1"].unit == "Các sở, ngành liên quan"
