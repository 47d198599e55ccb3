"""How a list of open tasks is laid out for people to scan: under short headings, soonest first.

Pure: tasks (anything with the deadline fields and `due_at`) and the moment in, groups out.
The chat's lists and the summaries group with this one rule.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from tasks.calendar import week_span
from tasks.deadlines import last_day

TODAY = "Hôm nay"
SOON = "Sắp đến hạn"
LATE = "Quá hạn"
RECURRING = "Định kỳ"
NO_DEADLINE = "Không ghi hạn"
# The order the groups are shown in.
HEADINGS = (TODAY, SOON, LATE, RECURRING, NO_DEADLINE)


def task_end(task) -> date | None:
    """The last day of the task's work (None: no deadline, or a recurring one)."""
    return last_day(task.deadline_kind, task.deadline_date, task.deadline_time)


def _placed(task, now: datetime, today: date) -> tuple[str, tuple]:
    """(heading, sort key) of one task; each field read once (lists are built on every message)."""
    kind, due = task.deadline_kind, task.due_at
    end = last_day(kind, task.deadline_date, task.deadline_time)
    key = (due is None, due.timestamp() if due else 0, end or date.max, task.id)
    if kind == "recurring":
        return RECURRING, key
    if end is None:
        return NO_DEADLINE, key
    if (due <= now) if due is not None else end < today:
        return LATE, key
    return (TODAY if end == today else SOON), key


def heading(task, now: datetime, zone: ZoneInfo) -> str:
    return _placed(task, now, now.astimezone(zone).date())[0]


def urgency(task) -> tuple:
    """Sort key: the one due soonest first (the longest overdue leads), no deadline last."""
    return (task.due_at is None, task.due_at.timestamp() if task.due_at else 0, task_end(task) or date.max, task.id)


def soonest_first(tasks) -> list:
    """Each task once, in `urgency` order."""
    return sorted({t.id: t for t in tasks}.values(), key=urgency)


def grouped(tasks, now: datetime, zone: ZoneInfo) -> list[tuple[str, list]]:
    """(heading, tasks) for each heading that has tasks, in `HEADINGS` order, soonest first."""
    today = now.astimezone(zone).date()
    placed = sorted(((*_placed(t, now, today), t) for t in {t.id: t for t in tasks}.values()), key=lambda p: p[1])
    groups: dict[str, list] = {name: [] for name in HEADINGS}
    for name, _, task in placed:
        groups[name].append(task)
    return [(name, found) for name, found in groups.items() if found]


def in_order(tasks, now: datetime, zone: ZoneInfo) -> list:
    """The tasks in the order a grouped list shows them (buttons under it follow the same order)."""
    return [task for _, group in grouped(tasks, now, zone) for task in group]


def due_this_week(task, today: date) -> bool:
    """Is the task's last day in the calendar week (Monday to Sunday) holding `today`?"""
    end = task_end(task)
    first, last = week_span(today)
    return end is not None and first <= end <= last
