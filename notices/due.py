"""The moment a task is due, from its deadline as the reader understood it (CONTRACTS §4).

One rule: a day written without a clock time ends at the end of the office day, except
"trước ngày X", which ends when X begins (the work is due by the end of the day before).
`due_in_words` says the result back, for the office checking an import.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from notices.model import Deadline
from scheduler.wording import WEEKDAYS

END_OF_OFFICE_DAY = time(17, 0)


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
    clock = time.fromisoformat(at) if isinstance(at, str) else at
    if clock is None:
        clock = time(0, 0) if kind == "before" else end_of_day
    return datetime.combine(day, clock, zone)


def _day(moment: datetime) -> str:
    return f"{WEEKDAYS[moment.weekday()]} {moment:%d/%m/%Y}"


def due_in_words(deadline: Deadline, due: datetime | None, zone: ZoneInfo) -> str:
    """The due moment the importer worked out (`due_at`), in the office's words, so the
    office can check it against the deadline as written."""
    if deadline.kind == "recurring":
        return "định kỳ, không có hạn cụ thể"
    if due is None:
        return "chưa hiểu được"
    local = due.astimezone(zone)
    if deadline.kind == "meeting":  # at the hour written, if one was
        return f"họp {_day(local)}" + (f" {local:%H:%M}" if deadline.time else "")
    if local.hour == local.minute == 0:
        when = f"hết ngày {_day(local - timedelta(days=1))}"
    else:
        when = f"{_day(local)} {local:%H:%M}"
    if deadline.kind == "period" and deadline.start:
        return f"{deadline.start:%d/%m/%Y}–{deadline.date:%d/%m/%Y}, hạn {when}"
    return when
