"""The issue's "Done when": `tick` driven through the seed's fortnight, 17–28/02/2025.

The seed notice is imported and published at 10:00 on Monday 17/02 (after the meeting it
records); `tick` then runs every half hour, and one minute before and after each planned
instant. Each recipient, moment and count is asserted against the policy worked out by hand.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot import make_runtime
from storage.db import make_engine
from storage.models import Reminder
from tasks.calendar import Calendar
from tests.fixtures.scheduler import PUBLISHED_AT, ZONE, deliveries, local, publish_seed, task_id, tick

NHUNG, BINH, MAI, HANH = "Trần Thị Nhung", "Phạm Thị Bình", "Ngô Thị Mai", "Đỗ Thị Hạnh"
# Everyone reachable with open work on Monday 24/02 gets a summary; leaders a chart too.
SUMMARY_READERS = ("Trần Ngọc Lâm", "Nguyễn Hữu Thắng", NHUNG, "Lê Hùng", BINH, "Võ Thị Dung", "Đặng Quốc Huy",
                   "Bùi Thị Lan", "Trương Văn Phúc", MAI, HANH)

EXPECTED = [
    # Monday 07:00, before the notice: the office head learns who cannot be reached.
    ("02-17 07:00", NHUNG, "", "summary"),
    # 2.1 and 2.2: meetings at 13h30 on 18/02 and 19/02; 2.3: a meeting at 7h30 on 18/02.
    ("02-17 15:00", BINH, "2.1", "meeting"),
    ("02-17 15:00", BINH, "2.3", "meeting"),
    ("02-17 16:30", BINH, "2.3", "meeting"),
    ("02-18 11:00", BINH, "2.1", "meeting"),
    ("02-18 15:00", BINH, "2.2", "meeting"),
    ("02-19 08:00", BINH, "2.1", "overdue"),
    ("02-19 08:00", BINH, "2.3", "overdue"),
    # 1.5 and 7.1: "trước ngày 21/02", so the last day is Thursday 20/02.
    ("02-19 08:00", NHUNG, "1.5", "before_deadline"),
    ("02-19 08:00", MAI, "7.1", "before_deadline"),
    ("02-19 11:00", BINH, "2.2", "meeting"),
    # 1.1: "trong ngày 21/02", given four working days ahead: no three-days-before reminder.
    ("02-20 08:00", NHUNG, "1.1", "before_deadline"),
    ("02-20 08:00", NHUNG, "1.5", "before_deadline"),
    ("02-20 08:00", MAI, "7.1", "before_deadline"),
    ("02-20 08:00", BINH, "2.2", "overdue"),
    ("02-21 08:00", NHUNG, "1.1", "before_deadline"),
    ("02-21 08:00", NHUNG, "1.5", "overdue"),
    ("02-21 08:00", MAI, "7.1", "overdue"),
    *[("02-24 07:00", name, "", "summary") for name in SUMMARY_READERS],
    ("02-24 07:00", "Trần Ngọc Lâm", "", "image"),
    ("02-24 07:00", "Nguyễn Hữu Thắng", "", "image"),
    # Overdue again on Monday (not yet five working days late: no leader yet).
    ("02-24 08:00", NHUNG, "1.1", "overdue"),
    ("02-24 08:00", NHUNG, "1.5", "overdue"),
    ("02-24 08:00", BINH, "2.1", "overdue"),
    ("02-24 08:00", BINH, "2.2", "overdue"),
    ("02-24 08:00", BINH, "2.3", "overdue"),
    ("02-24 08:00", MAI, "7.1", "overdue"),
    # 8.1: "trong tháng 02/2025", given nine working days ahead.
    ("02-25 08:00", HANH, "8.1", "before_deadline"),
    ("02-27 08:00", HANH, "8.1", "before_deadline"),
    ("02-28 08:00", HANH, "8.1", "before_deadline"),
]

NOTHING_OPEN = "anh/chị không có việc nào đang mở."


def fortnight_ticks() -> list:
    """Every half hour of 17–28/02, plus one minute before and after each planned instant."""
    instants = {local("02-17 00:00") + timedelta(minutes=30 * n) for n in range(12 * 48)}
    for when, *_ in EXPECTED:
        instants |= {local(when) - timedelta(minutes=1), local(when) + timedelta(minutes=1)}
    return sorted(instants)


def drive(runtime, fake_zalo, ticks, *, restart_at=None):
    """Tick through `ticks`; at `restart_at` the process dies after queueing and a new one starts."""
    got = []
    published = False
    for at in ticks:
        if not published and at >= PUBLISHED_AT:
            publish_seed(runtime)
            published = True
        if at == restart_at:
            runtime.sender.deliver_due = lambda *args, **kwargs: (_ for _ in ()).throw(SystemExit("killed"))
            with pytest.raises(SystemExit):
                from scheduler.sweep import run_due_work
                run_due_work(runtime, at)
            runtime.stop()
            runtime = make_runtime(runtime.settings, engine=make_engine(runtime.settings.database_url), zalo=fake_zalo)
        before = len(fake_zalo.sent)
        tick(runtime, at)
        news = [m for m in fake_zalo.sent[before:] if not m.text.endswith(NOTHING_OPEN)]  # see test_sweep
        got += [(f"{at:%m-%d %H:%M}", *sent) for sent in deliveries(runtime, news)]
    return runtime, got


@pytest.mark.parametrize("restart", [False, True], ids=["straight", "restart-mid-fortnight"])
def test_the_fortnight(office, fake_zalo, restart):
    restart_at = local("02-20 08:00") if restart else None
    runtime, got = drive(office, fake_zalo, fortnight_ticks(), restart_at=restart_at)
    assert sorted(got) == sorted(EXPECTED)
    calendar = Calendar.from_settings(runtime.settings)
    assert all(calendar.in_office_hours(local(when)) for when, *_ in got)
    # Lý Văn Nam heads the second centre of 7.1 but has no Zalo account: planned, never sent.
    centre = task_id(runtime, "7.1", "TTKT")
    with runtime.session(read_only=True) as session:
        rows = session.exec(select(Reminder).where(Reminder.task_id == centre).order_by(Reminder.planned_at)).all()
    assert sorted((f"{r.planned_at.astimezone(ZONE):%m-%d %H:%M}", r.kind, r.state) for r in rows) == [
        ("02-19 08:00", "before_deadline", "unlinked"), ("02-20 08:00", "before_deadline", "unlinked"),
        ("02-21 08:00", "overdue", "unlinked"), ("02-24 08:00", "overdue", "unlinked"),
        # The series goes on: on 03/03, seven working days late, the two leaders are told too.
        ("03-03 08:00", "escalation", "pending"), ("03-03 08:00", "escalation", "pending"),
        ("03-03 08:00", "overdue", "pending")]
    # A second pass over the whole fortnight sends nothing more.
    before = len(fake_zalo.sent)
    for when in sorted({w for w, *_ in EXPECTED}):
        tick(runtime, local(when))
    assert len(fake_zalo.sent) == before
    if restart:
        runtime.stop()
        runtime.engine.dispose()


def test_reminders_and_summaries_read_as_a_colleague_writes_them(office, fake_zalo):
    """Also: the bot is down most of the week; what it missed by more than 12 hours is not sent
    late but named in the next summary."""
    drive(office, fake_zalo, [local("02-17 09:00"), PUBLISHED_AT, local("02-18 11:00"), local("02-24 07:00")])
    n = task_id(office, "2.1")
    meeting = next(m for m in fake_zalo.sent if m.text.startswith(f"Nhắc việc #{n}:"))
    assert meeting.text.startswith(f"Nhắc việc #{n}: 13h30 hôm nay họp về dự thảo Chính sách đột phá")
    assert meeting.text.endswith(f"(Thông báo kết luận tuần 7). Trả lời «xong {n}» khi hoàn thành.")
    assert [b["payload"] for b in meeting.buttons] == [f"xong {n}", f"chi tiết {n}", f"gia hạn {n}"]
    summaries = {m.user_id: m for m in fake_zalo.sent if m.text.startswith("Tổng hợp tuần 24/02–02/03/2025")}
    leader = summaries["5000000000000000001"].text
    assert "— toàn Sở" in leader and f"lâu nhất #{n} (quá hạn 6 ngày)" in leader
    head = summaries["5000000000000000005"].text.splitlines()
    assert head[0] == "Tổng hợp tuần 24/02–02/03/2025 — Phòng Quản lý Công nghệ và Đổi mới sáng tạo"
    later, meeting_19 = task_id(office, "2.3"), task_id(office, "2.2")
    assert [line.split()[0] for line in head[2:5]] == [f"#{n}", f"#{later}", f"#{meeting_19}"]  # most overdue first
    assert head[5:] == ["", f"Nhắc việc chưa gửi kịp khi hệ thống tạm dừng: #{n}, #{later}, #{meeting_19}."]
    sent_to_binh = [m.text.splitlines()[0].split(":")[0] for m in fake_zalo.sent if m.user_id == "5000000000000000005"]
    assert sent_to_binh == ["Tổng hợp tuần 17/02–23/02/2025",  # nothing yet, but inside the window: a button
                            f"Nhắc việc #{n}", "Tổng hợp tuần 24/02–02/03/2025 — Phòng Quản lý Công nghệ và Đổi mới sáng tạo"]
    office_head = summaries["5000000000000000003"].text
    assert "Chưa liên lạc được qua Zalo (2):" in office_head and "Lý Văn Nam" in office_head
    charts = [m for m in fake_zalo.sent if m.kind == "image"]
    assert len(charts) == 2 and charts[0].text.startswith("Biểu đồ tiến độ theo đơn vị")

