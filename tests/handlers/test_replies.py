"""The reply builders, pure: facts in, text and buttons out."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers import replies
from handlers import replies_changes as said
from storage.models import Notice, Officer, ProgressReport, Task, TaskEvent, Unit
from tasks.deadlines import due_at
from tasks.lists import soonest_first
from tasks.queries import Report, TaskDetail
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


def test_lists_are_grouped_under_headings_soonest_first_with_the_deadline_as_people_say_it():
    tasks = soonest_first([
        task(4, "Không hạn"),
        task(3, "Tuần sau", deadline=date(2025, 2, 21)),
        task(5, "Sáng mai", deadline=date(2025, 2, 19)),
        task(2, "Chiều nay", deadline=date(2025, 2, 18), kind="meeting", at="13:30"),
        task(1, "Trễ", deadline=date(2025, 2, 15)),
        task(6, "Trễ lâu", deadline=date(2025, 2, 3)),
    ])
    reported = replies.Marks(reported={3: NOW - timedelta(days=2)})
    text = replies.my_tasks(tasks, NOW, ZONE, reported)
    assert text.splitlines() == [
        "Việc đang mở của anh/chị (6):",
        "Hôm nay:",
        "#2 – họp 13h30 hôm nay – Chiều nay",
        "",
        "Sắp đến hạn:",
        "#5 – hạn ngày mai – Sáng mai",
        "#3 – hạn thứ Sáu 21/02 – Tuần sau · tiến độ 2 ngày trước",
        "",
        "Quá hạn:",
        "#6 – quá hạn 15 ngày – Trễ lâu",
        "#1 – quá hạn 3 ngày – Trễ",
        "",
        "Không ghi hạn:",
        "#4 – không có hạn – Không hạn",
    ]


def test_nothing_of_ones_own_is_said_plainly_with_what_the_unit_has():
    assert replies.none_of_yours("đang mở") == "Anh/chị không có việc nào đang mở."
    assert replies.none_of_yours("đang mở", "Phòng QLCN", (5, 1)) == (
        "Anh/chị không có việc nào đang mở. Phòng QLCN đang có 5 việc mở, 1 quá hạn: gõ «việc phòng» để xem.")
    assert "Cảm ơn" not in replies.none_of_yours("quá hạn", "Phòng QLCN", (2, 0))


def test_a_long_list_goes_out_in_parts_under_2000_characters_cut_between_lines():
    tasks = [task(n, "Nhiệm vụ rà soát hồ sơ đề tài khoa học và công nghệ cấp tỉnh " * 2, deadline=date(2025, 3, 1))
             for n in range(1, 81)]
    parts = split_text(replies.my_tasks(tasks, NOW, ZONE))  # as the Zalo client sends it
    assert len(parts) > 2 and all(len(p) <= 2000 for p in parts)
    assert listed(parts) == list(range(1, 81))


def test_the_unit_view_marks_coordinated_tasks():
    text = replies.unit_tasks("Văn phòng Sở", [task(1), task(2)], NOW, ZONE, replies.Marks(frozenset({2})))
    assert "#1 – không có hạn" in text and "#2 (phối hợp) – không có hạn" in text
    empty = replies.unit_tasks("Văn phòng Sở", [], NOW, ZONE)
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
    assert said.cannot_close(7, ["Lê Hùng"], ["Trần Thị Nhung"]) == (
        "Anh/chị chưa có quyền báo xong việc #7. Người làm được việc này: Lê Hùng (người được giao), "
        "Trần Thị Nhung (trưởng đơn vị), lãnh đạo Sở hoặc quản trị hệ thống.")
    assert said.cannot_decide(7, ["Trần Ngọc Lâm", "Trần Thị Nhung"], other_leaders=True) == (
        "Anh/chị chưa có quyền duyệt gia hạn việc #7. Người duyệt: Trần Ngọc Lâm, Trần Thị Nhung "
        "hoặc lãnh đạo Sở khác.")
    assert said.cannot_decide(7, ["Trần Ngọc Lâm", "Nguyễn Hữu Thắng"], other_leaders=False) == (
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
                 (TaskEvent(task_id=7, at=NOW - timedelta(days=1), action="delegated",
                            data={"officer_id": 4, "name": "Lê Hùng"}), "Trần Thị Nhung"),
                 (TaskEvent(task_id=7, at=NOW - timedelta(hours=2), action="progress", note="đã có số liệu"),
                  "Lê Hùng"),
                 (TaskEvent(task_id=7, at=NOW - timedelta(hours=1), action="closed", note="đã gửi"), "Lê Hùng")],
        closed_by="Lê Hùng",
        delegates=[Officer(id=4, full_name="Lê Hùng", unit_id=1, role="member")],
        reports=[Report(ProgressReport(task_id=7, officer_id=4, unit_id=1, at=NOW - timedelta(hours=2),
                                       text="đã có số liệu", attachments=[{"type": "image", "url": "https://z/1"}]),
                        "Lê Hùng", "Văn phòng Sở")],
    )
    assert replies.task_detail(detail, NOW, ZONE).splitlines() == [
        "Việc #7 (đã xong)",
        "Gửi báo cáo tổng kết năm",
        "",
        "• Thông báo: Thông báo kết luận tuần 7 (TB-SKHCN)",
        "• Hạn thứ Sáu 21/02 (thông báo ghi: ngày 21/02/2025)",
        "• Chủ trì: Văn phòng Sở",
        "• Người được giao: Lê Hùng",
        "• Được giao thực hiện: Lê Hùng",
        "• Trưởng đơn vị: Trần Thị Nhung",
        "• Phối hợp: Phòng Kế hoạch - Tài chính",
        "• Báo xong: Lê Hùng, 8h hôm nay – đã gửi",
        "",
        "Tiến độ:",
        "• hôm nay – Lê Hùng: đã có số liệu (1 ảnh)",
        "",
        "Lịch sử:",
        "• 9h hôm qua – Giao việc",
        "• 9h hôm qua – Giao cho Lê Hùng (Trần Thị Nhung)",
        "• 7h hôm nay – Báo cáo tiến độ (Lê Hùng): đã có số liệu",
        "• 8h hôm nay – Báo xong (Lê Hùng): đã gửi",
    ]
