"""The reply builders, pure: facts in, text and buttons out."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers import replies
from storage.models import Notice, Officer, Task, TaskEvent, Unit
from tasks.deadlines import due_at
from tasks.queries import TaskDetail, by_urgency
from tests.handlers.factories import listed
from zalo.client import split_text
from zalo.messages import Button

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 2, 18, 9, 0, tzinfo=ZONE)  # a Tuesday


def task(n: int, text: str = "Rà soát hồ sơ", *, deadline: date | None = None, kind: str = "on",
         at: str | None = None) -> Task:
    return Task(id=n, notice_id=1, ref=str(n), unit_id=1, text=text, deadline_kind=kind if deadline else None,
                deadline_date=deadline, deadline_time=at,
                deadline_raw=f"ngày {deadline:%d/%m/%Y}" if deadline else None,
                due_at=due_at(kind, deadline, at, ZONE, end_of_day=time(17)) if deadline else None)


def test_lists_are_most_urgent_first_with_the_deadline_as_people_say_it():
    tasks = by_urgency([
        task(4, "Không hạn"),
        task(3, "Tuần sau", deadline=date(2025, 2, 21)),
        task(2, "Chiều nay", deadline=date(2025, 2, 18), kind="meeting", at="13:30"),
        task(1, "Trễ", deadline=date(2025, 2, 15)),
    ])
    text = replies.my_tasks(tasks, NOW, ZONE)
    assert text.splitlines() == [
        "Việc đang mở của anh/chị (4), việc gấp trước:",
        "#1 – quá hạn 3 ngày – Trễ",
        "#2 – họp 13h30 hôm nay – Chiều nay",
        "#3 – hạn thứ Sáu 21/02 – Tuần sau",
        "#4 – không có hạn – Không hạn",
    ]
    assert replies.my_tasks([], NOW, ZONE) == replies.NOTHING_OPEN


def test_a_gist_is_about_80_characters_cut_at_a_word():
    long = "Tiếp tục bổ sung, chỉnh sửa, hoàn thiện dự thảo Chính sách đột phá phát triển khoa học, công nghệ, đổi mới"
    cut = replies.shorten(long)
    assert cut.endswith("…") and len(cut) <= 81
    assert long.startswith(cut[:-1]) and long[len(cut) - 1] == " "
    assert replies.shorten("  Ngắn   gọn ") == "Ngắn gọn"


def test_a_long_list_goes_out_in_parts_under_2000_characters_cut_between_lines():
    tasks = [task(n, "Nhiệm vụ rà soát hồ sơ đề tài khoa học và công nghệ cấp tỉnh " * 2, deadline=date(2025, 3, 1))
             for n in range(1, 81)]
    parts = split_text(replies.my_tasks(tasks, NOW, ZONE))  # as the Zalo client sends it
    assert len(parts) > 2 and all(len(p) <= 2000 for p in parts)
    assert listed(parts) == list(range(1, 81))


def test_the_unit_view_marks_coordinated_tasks():
    text = replies.unit_tasks("Văn phòng Sở", [task(1), task(2)], frozenset({2}), NOW, ZONE)
    assert "#1 – không có hạn" in text and "#2 (phối hợp) – không có hạn" in text
    empty = replies.unit_tasks("Văn phòng Sở", [], frozenset(), NOW, ZONE)
    assert empty == "Văn phòng Sở hiện không có việc nào đang mở."


def test_a_leader_sees_a_line_per_busy_unit():
    text = replies.leader_tasks([], [("Văn phòng Sở", 2, 1), ("Thanh tra Sở", 0, 0), ("Phòng QLKH", 3, 0)], NOW, ZONE)
    assert text.splitlines() == [
        "Anh/chị không có việc nào được giao riêng.",
        "",
        "Các đơn vị anh/chị chỉ đạo:",
        "• Văn phòng Sở: 2 việc đang mở, 1 quá hạn",
        "• Phòng QLKH: 3 việc đang mở",
    ]


def test_buttons_are_five_at_most_each_payload_once():
    shown = replies.task_buttons([1, 2, 3, 4], replies.MY_TASKS)
    assert [b.payload for b in shown] == ["xong 1", "xong 2", "xong 3", "việc phòng", "quá hạn"]
    assert replies.buttons(Button("A", "a"), Button("B", "a")) == (Button("A", "a"),)


def test_names_are_listed_as_people_write_them():
    assert replies.names(["Lê Hùng"]) == "Lê Hùng"
    assert replies.names(["A", "B", "C"]) == "A, B và C"
    assert replies.names(["A", "B"], last="hoặc") == "A hoặc B"
    # A unit named with a comma cannot be told apart in a comma list.
    units = ["Phòng Quản lý Khoa học", "Trung tâm Nghiên cứu, Chuyển giao công nghệ", "Thanh tra Sở"]
    assert replies.names(units) == "Phòng Quản lý Khoa học; Trung tâm Nghiên cứu, Chuyển giao công nghệ; Thanh tra Sở"


def test_refusals_name_who_can():
    assert replies.cannot_close(7, ["Lê Hùng"], ["Trần Thị Nhung"]) == (
        "Anh/chị chưa có quyền báo xong việc #7. Người làm được việc này: Lê Hùng (người được giao), "
        "Trần Thị Nhung (trưởng đơn vị), lãnh đạo Sở hoặc quản trị hệ thống.")
    assert replies.cannot_decide(7, ["Trần Ngọc Lâm", "Trần Thị Nhung"], other_leaders=True) == (
        "Anh/chị chưa có quyền duyệt gia hạn việc #7. Người duyệt: Trần Ngọc Lâm, Trần Thị Nhung "
        "hoặc lãnh đạo Sở khác.")
    assert replies.cannot_decide(7, ["Trần Ngọc Lâm", "Nguyễn Hữu Thắng"], other_leaders=False) == (
        "Anh/chị chưa có quyền duyệt gia hạn việc #7. Người duyệt: Trần Ngọc Lâm hoặc Nguyễn Hữu Thắng.")
    assert replies.did_you_mean("việc của tôi") == "Có phải anh/chị muốn gõ 'việc của tôi'?"


def test_the_notice_is_named_by_week_number_and_date():
    notice = Notice(content_hash="x", number="12", symbol="TB-SKHCN", week=7, issued_on=date(2025, 2, 18),
                    meeting_on=date(2025, 2, 17), imported_at=NOW)
    assert replies.notice_line(notice) == "Thông báo kết luận tuần 7 (số 12/TB-SKHCN ngày 18/02/2025)"
    seed = Notice(content_hash="y", symbol="TB-SKHCN", week=7, meeting_on=date(2025, 2, 17), imported_at=NOW)
    assert replies.notice_line(seed) == "Thông báo kết luận tuần 7 (TB-SKHCN, họp ngày 17/02/2025)"
    bare = Notice(content_hash="z", meeting_on=date(2025, 2, 17), imported_at=NOW)
    assert replies.notice_line(bare) == "Thông báo kết luận họp ngày 17/02/2025"


def test_detail_holds_the_whole_task_and_its_history():
    closed = task(7, "Gửi báo cáo tổng kết năm", deadline=date(2025, 2, 21))
    closed.status, closed.closed_at, closed.close_note = "done", NOW - timedelta(hours=1), "đã gửi"
    detail = TaskDetail(
        task=closed,
        notice=Notice(content_hash="x", symbol="TB-SKHCN", week=7, imported_at=NOW),
        unit=Unit(id=1, code="VP", name="Văn phòng Sở", kind="office"),
        assignees=[Officer(id=4, full_name="Lê Hùng", unit_id=1, role="member")],
        coordinators=[Unit(id=2, code="KHTC", name="Phòng Kế hoạch - Tài chính", kind="department")],
        heads=[Officer(id=3, full_name="Trần Thị Nhung", unit_id=1, role="head")],
        history=[(TaskEvent(task_id=7, at=NOW - timedelta(days=1), action="published"), None),
                 (TaskEvent(task_id=7, at=NOW - timedelta(hours=1), action="closed", note="đã gửi"), "Lê Hùng")],
        closed_by="Lê Hùng",
    )
    assert replies.task_detail(detail, NOW, ZONE).splitlines() == [
        "Việc #7 (đã xong)",
        "Gửi báo cáo tổng kết năm",
        "",
        "• Thông báo: Thông báo kết luận tuần 7 (TB-SKHCN)",
        "• Hạn thứ Sáu 21/02 (thông báo ghi: ngày 21/02/2025)",
        "• Chủ trì: Văn phòng Sở",
        "• Người được giao: Lê Hùng",
        "• Trưởng đơn vị: Trần Thị Nhung",
        "• Phối hợp: Phòng Kế hoạch - Tài chính",
        "• Báo xong: Lê Hùng, 8h hôm nay – đã gửi",
        "",
        "Lịch sử:",
        "• 17/02/2025 09:00 – Giao việc",
        "• 18/02/2025 08:00 – Báo xong (Lê Hùng): đã gửi",
    ]
