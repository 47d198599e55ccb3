"""The deadline rules, in one place: when a task is due, its last day, and clock times.

A deadline as the reader understood it has a kind (`on`, `before`, `meeting`, `period`,
`recurring`; see docs/notices.md), a written date, and maybe a written time ("HH:MM").
One rule: a day written without a clock time ends at the end of the office day, except
"trước ngày X", which ends when X begins (the work is due by the end of the day before).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

END_OF_OFFICE_DAY = time(17, 0)


def parse_hhmm(value: str | time | None) -> time | None:
    """'13:30' -> 13:30; a time is returned as it is, an empty value as None."""
    if not value:
        return None
    if isinstance(value, time):
        return value
    hours, minutes = value.strip().split(":")
    return time(int(hours), int(minutes))


def end_of_office_day(office_hours: tuple[tuple[time, time], ...]) -> time:
    """When the office day ends: the end of its last span of office hours."""
    return office_hours[-1][1] if office_hours else END_OF_OFFICE_DAY


def due_at(
    kind: str | None,
    day: date | None,
    at: time | str | None,
    zone: ZoneInfo,
    *,
    end_of_day: time = END_OF_OFFICE_DAY,
) -> datetime | None:
    """The aware local instant the task is due, or None when it has no single due moment.

    `kind` is `on`, `before`, `meeting`, `period` (`day` is the period's last day) or
    `recurring`; `at` is the written time ("HH:MM"), if any.
    """
    if kind in (None, "recurring") or day is None:
        return None
    clock = parse_hhmm(at)
    if clock is None:
        clock = time(0, 0) if kind == "before" else end_of_day
    return datetime.combine(day, clock, zone)


def due_moment(kind: str | None, day: date | None, at: time | str | None, settings) -> datetime | None:
    """`due_at` on the office's clock: its time zone and the end of its office day."""
    return due_at(kind, day, at, settings.zone, end_of_day=end_of_office_day(settings.office_hours))


def last_day(kind: str | None, written: date | None, at: str | None = None) -> date | None:
    """The last day the work may be done: for "trước ngày X" it is the day before X
    (unless a time is given: "trước 16h00 ngày X" still leaves that morning)."""
    if written is None or kind in (None, "recurring"):
        return None
    if kind == "before" and not at:
        return written - timedelta(days=1)
    return written


def overdue_days(task_like, now: datetime, zone: ZoneInfo) -> int:
    """Whole calendar days past the last day (0 when not overdue or closed)."""
    if getattr(task_like, "status", "open") != "open":
        return 0
    end = last_day(task_like.deadline_kind, task_like.deadline_date, task_like.deadline_time)
    if end is None:
        return 0
    return max(0, (now.astimezone(zone).date() - end).days)
