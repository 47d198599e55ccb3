"""Lists people can scan: headings, soonest first in each, and the calendar week."""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from tasks import lists
from tasks.calendar import week_span
from tasks.deadlines import due_at

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 2, 19, 9, 0, tzinfo=ZONE)  # a Wednesday


def task(n: int, day: str | None = None, kind: str = "on", clock: str | None = None, raw: str | None = None):
    written = date.fromisoformat(day) if day else None
    return SimpleNamespace(id=n, deadline_kind=kind if (day or raw) else None, deadline_date=written,
                           deadline_time=clock, deadline_raw=raw, status="open",
                           due_at=due_at(kind, written, clock, ZONE, end_of_day=time(17)) if written else None)


def test_groups_come_in_order_soonest_first_in_each():
    tasks = [task(1), task(2, "2025-02-21"), task(3, "2025-02-19"), task(4, "2025-02-10"), task(5, "2025-02-20"),
             task(6, "2025-02-18"), task(7, "2025-02-19", "meeting", "07:30"), task(8, raw="định kỳ hằng tháng",
                                                                                  kind="recurring")]
    assert [(heading, [t.id for t in group]) for heading, group in lists.grouped(tasks, NOW, ZONE)] == [
        ("Hôm nay", [3]), ("Sắp đến hạn", [5, 2]), ("Quá hạn", [4, 6, 7]), ("Định kỳ", [8]), ("Không ghi hạn", [1])]
    assert [t.id for t in lists.in_order(tasks, NOW, ZONE)] == [3, 5, 2, 4, 6, 7, 8, 1]


def test_this_week_is_monday_to_sunday():
    assert week_span(date(2025, 2, 19)) == (date(2025, 2, 17), date(2025, 2, 23))
    assert week_span(date(2025, 2, 23)) == (date(2025, 2, 17), date(2025, 2, 23))
    today = NOW.date()
    assert [n for n, day in [(1, "2025-02-17"), (2, "2025-02-23"), (3, "2025-02-24"), (4, "2025-02-16")]
            if lists.due_this_week(task(n, day), today)] == [1, 2]
    # "Trước ngày 24/02" ends on Sunday: this week.
    assert lists.due_this_week(task(5, "2025-02-24", "before"), today)
