"""The moment a task is due, from its deadline as the reader understood it (CONTRACTS §4).

One rule: a day written without a clock time ends at the end of the office day, except
"trước ngày X", which ends when X begins (the work is due by the end of the day before).
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

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
