"""Dates and reminders worded as a colleague would write them."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from scheduler.messages import task_buttons
from tasks.wording import (
    gist,
    headline,
    notice_label,
    reminder_text,
    say_ago,
    say_deadline,
    say_lateness,
    say_moment,
    say_week,
    say_when,
)

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 2, 18, 9, 0, tzinfo=ZONE)  # Tuesday
TEXT = ("Tiếp tục bổ sung, chỉnh sửa, hoàn thiện dự thảo Chính sách đột phá về đổi mới công nghệ, "
        "đổi mới sáng tạo, chuyển đổi số, để phục vụ cuộc họp lúc 13h30 ngày 18/02/2025.")


def task(kind, day=None, clock=None, start=None, status="open", raw=None, number=7, text=TEXT):
    return SimpleNamespace(id=number, text=text, deadline_kind=kind, deadline_date=day and date.fromisoformat(day),
                           deadline_time=clock, deadline_start=start and date.fromisoformat(start),
                           deadline_raw=raw, status=status)


@pytest.mark.parametrize("instant, said", [
    (datetime(2025, 2, 18, 13, 30, tzinfo=ZONE), "13h30 hôm nay"),
    (datetime(2025, 2, 19, 7, 30, tzinfo=ZONE), "7h30 ngày mai"),
    (datetime(2025, 2, 17, 15, 0, tzinfo=ZONE), "15h hôm qua"),
    (datetime(2025, 2, 21, 8, 0, tzinfo=ZONE), "8h thứ Sáu 21/02"),
    (datetime(2026, 1, 5, 8, 0, tzinfo=ZONE), "8h thứ Hai 05/01/2026"),
    (datetime(2025, 2, 18, 6, 30), "13h30 hôm nay"),  # UTC in, wall clock out
])
def test_say_when(instant, said):
    instant = instant if instant.tzinfo else instant.replace(tzinfo=ZoneInfo("UTC"))
    assert say_when(instant, NOW) == said


@pytest.mark.parametrize("t, said", [
    (task("meeting", "2025-02-18", "13:30"), "họp 13h30 hôm nay"),
    (task("meeting", "2025-02-18", "07:30"), "quá hạn từ 7h30 hôm nay"),
    (task("on", "2025-02-21"), "hạn thứ Sáu 21/02"),
    (task("on", "2025-02-18"), "hạn chót hôm nay"),
    (task("before", "2025-02-21"), "hạn trước thứ Sáu 21/02"),
    (task("before", "2025-02-19"), "hạn chót hôm nay"),  # "trước ngày 19/02": today is the last day
    (task("before", "2025-02-15"), "quá hạn 4 ngày"),
    (task("before", "2025-02-15", status="done"), "hạn trước thứ Bảy 15/02"),
    (task("period", "2025-03-31", start="2025-03-01"), "hạn trong tháng 3/2025"),
    (task("period", "2025-02-28", start="2025-02-01"), "hạn đến thứ Sáu 28/02"),
    (task("period", "2025-03-10", start="2025-03-01"), "hạn từ 01/03 đến thứ Hai 10/03"),
    (task("recurring", raw="định kỳ hằng tháng"), "định kỳ hằng tháng"),
    (task(None), "không có hạn"),
])
def test_say_deadline(t, said):
    assert say_deadline(t, NOW, ZONE) == said


@pytest.mark.parametrize("days, said", [(1, "1 ngày"), (59, "59 ngày"), (60, "hơn 2 tháng"), (200, "hơn 6 tháng"),
                                         (648, "hơn 1 năm"), (800, "hơn 2 năm")])
def test_lateness_is_said_as_people_say_it(days, said):
    assert say_lateness(days) == said


def test_a_task_due_earlier_today_reads_as_overdue_not_as_due_today():
    due_today = task("on", "2025-02-18")
    due_today.due_at = datetime(2025, 2, 18, 17, 0, tzinfo=ZONE)
    assert say_deadline(due_today, datetime(2025, 2, 18, 16, 0, tzinfo=ZONE), ZONE) == "hạn chót hôm nay"
    assert say_deadline(due_today, datetime(2025, 2, 18, 23, 40, tzinfo=ZONE), ZONE) == "quá hạn từ 17h hôm nay"


def test_the_meeting_reminder_reads_like_the_example():
    text = reminder_text("meeting", task("meeting", "2025-02-18", "13:30"), notice_label(7, None, None),
                         datetime(2025, 2, 18, 11, 0, tzinfo=ZONE))
    assert text == ("Nhắc việc #7: 13h30 hôm nay họp về dự thảo Chính sách đột phá… "
                    "(Thông báo kết luận tuần 7). Trả lời «xong 7» khi hoàn thành.")
    assert [(b.title, b.payload) for b in task_buttons(7)] == [
        ("Xong #7", "xong 7"), ("Chi tiết", "chi tiết 7"), ("Gia hạn", "gia hạn 7")]


def test_overdue_and_escalation_say_whose_and_how_late():
    late = task("on", "2025-02-14", number=3, text="Sắp xếp, bố trí phòng làm việc, phòng lưu trữ tài liệu.")
    assert reminder_text("overdue", late, "Thông báo kết luận tuần 7", NOW) == (
        "Việc #3 đã quá hạn 4 ngày: Sắp xếp, bố trí phòng làm việc… (Thông báo kết luận tuần 7). "
        "Nếu đã xong, trả lời «xong 3»; cần thêm thời gian, bấm «Gia hạn».")
    assert reminder_text("escalation", late, "Thông báo kết luận tuần 7", NOW, owner="Văn phòng Sở").startswith(
        "Việc #3 của Văn phòng Sở quá hạn 4 ngày: Sắp xếp")


@pytest.mark.parametrize("text, said", [
    (TEXT, "dự thảo Chính sách đột phá…"),
    ("Tiếp tục bổ sung, chỉnh sửa, hoàn thiện dự thảo Kế hoạch của UBND tỉnh về Duy trì", "dự thảo Kế hoạch của UBND tỉnh…"),
    ("Chủ trì, phối hợp với các đơn vị xây dựng kế hoạch tổ chức tuyển dụng viên chức tại các đơn vị thuộc Sở.",
     "kế hoạch tổ chức tuyển dụng viên chức…"),
    ("Cập nhật, bổ sung kinh phí triển khai", "kinh phí triển khai"),
    # Who is named first, what comes after: the gist says what.
    ("Giao đồng chí Lê Hùng tham mưu theo dõi, quản trị; phối hợp với các phòng, đơn vị sử dụng tài khoản",
     "tham mưu theo dõi, quản trị…"),
    ("Phối hợp với Phòng Kế hoạch – Tài chính hoàn thành định mức kinh tế kỹ thuật các dịch vụ sự nghiệp công",
     "hoàn thành định mức kinh tế kỹ thuật…"),
    ("Phối hợp với các phòng: Quản lý CN&ĐMST, Quản lý khoa học, Văn phòng Sở thực hiện các hồ sơ, thủ tục",
     "thực hiện các hồ sơ…"),
    # A unit named "Phòng Tổ chức cán bộ" is a name, not the action "tổ chức".
    ("Phối hợp với Phòng Tổ chức cán bộ tổng hợp danh sách viên chức", "tổng hợp danh sách viên chức"),
    # A quotation cut short is closed.
    ("Tiếp tục chỉnh sửa, hoàn thiện Kế hoạch tổ chức “Ngày thứ 7 chuyên đổi số cộng đồng”, trình Giám đốc Sở",
     "Kế hoạch tổ chức “Ngày thứ 7 chuyên đổi…”"),
])
def test_gist(text, said):
    assert gist(text) == said


def test_notice_label_without_a_week():
    assert notice_label(None, "TB-SKHCN", date(2025, 2, 17)) == "Thông báo kết luận họp ngày 17/02/2025"


def test_a_meeting_without_a_time_names_the_day():
    text = reminder_text("meeting", task("meeting", "2025-02-19"), "Thông báo kết luận tuần 7", NOW)
    assert text.startswith("Nhắc việc #7: ngày mai họp về dự thảo Chính sách đột phá…")


def test_a_headline_skips_the_opening_and_is_cut_at_a_word_as_the_sentence_writes_it():
    long = "Tiếp tục bổ sung, chỉnh sửa, hoàn thiện dự thảo Chính sách đột phá phát triển khoa học, công nghệ, đổi mới"
    cut = headline(long)
    assert cut == "dự thảo Chính sách đột phá phát triển khoa học, công nghệ, đổi mới"
    shorter = headline(long, limit=40)
    assert shorter == "dự thảo Chính sách đột phá phát triển…" and len(shorter) <= 41
    assert headline("  Ngắn   gọn ") == "Ngắn gọn"
    assert headline("Giao đồng chí Lê Hùng tham mưu theo dõi, quản trị tài khoản") == "tham mưu theo dõi, quản trị tài khoản"


def test_ago_and_weeks_as_people_say_them():
    assert say_ago(NOW, NOW) == "hôm nay"
    assert say_ago(datetime(2025, 2, 17, 16, 0, tzinfo=ZONE), NOW) == "hôm qua"
    assert say_ago(datetime(2025, 2, 16, 8, 0, tzinfo=ZONE), NOW) == "2 ngày trước"
    assert say_week(date(2025, 2, 17)) == "tuần 17/02–23/02/2025"
    assert say_week(date(2025, 2, 19)) == "tuần 17/02–23/02/2025"  # any day of it: the calendar week


def test_a_moment_in_full_for_the_offices_tables():
    from datetime import timezone

    assert say_moment(datetime(2026, 12, 2, 21, 10, tzinfo=timezone.utc), ZONE) == "03/12/2026 4h10"
    assert say_moment(datetime(2025, 2, 18, 8, 0, tzinfo=ZONE), ZONE) == "18/02/2025 8h"
