"""A task's status as the office reports it: five values, and the days late as a number.

- «Đúng hạn»: open, with a deadline whose last day has not passed;
- «Đang làm»: open, with no single deadline (none written, or recurring);
- «Quá hạn»: open, its last day passed;
- «Xong đúng hạn»: closed on or before its last day (or it had none);
- «Xong trễ»: closed after its last day.

The last day is `tasks.deadlines.last_day` ("trước ngày 21/02" ends on 20/02). The rule is
written twice here, side by side, and nowhere else: in Python for a task in hand
(`status_of`, `days_late`), and in SQL for lists of 50,000 (`status_filter`, `status_case`,
`due_in_week`).
Tests hold the two to the same answers.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Date, and_, case, func, literal, not_, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from storage.models import TASK_CANCELLED, TASK_DONE, TASK_OPEN, Task
from tasks.calendar import week_span
from tasks.deadlines import last_day, overdue_days

ON_TIME, DOING, LATE, DONE_ON_TIME, DONE_LATE, CANCELLED = (
    "on_time", "doing", "late", "done_on_time", "done_late", "cancelled")
LABELS = {ON_TIME: "Đúng hạn", DOING: "Đang làm", LATE: "Quá hạn", DONE_ON_TIME: "Xong đúng hạn",
          DONE_LATE: "Xong trễ"}
# Shown only in the console's task list, never in a report.
ALL_LABELS = {**LABELS, CANCELLED: "Đã hủy"}


def _closed_day(task, zone: ZoneInfo) -> date | None:
    return task.closed_at.astimezone(zone).date() if task.closed_at else None


def days_late(task, now: datetime, zone: ZoneInfo) -> int:
    """Open: whole days past the last day; closed: how many days after it the work was done."""
    if task.status == TASK_OPEN:
        return overdue_days(task, now, zone)
    end = last_day(task.deadline_kind, task.deadline_date, task.deadline_time)
    done = _closed_day(task, zone)
    if task.status != TASK_DONE or end is None or done is None:
        return 0
    return max(0, (done - end).days)


def status_of(task, now: datetime, zone: ZoneInfo) -> str:
    if task.status == TASK_CANCELLED:
        return CANCELLED
    late = days_late(task, now, zone) > 0
    if task.status == TASK_DONE:
        return DONE_LATE if late else DONE_ON_TIME
    if late:
        return LATE
    return ON_TIME if last_day(task.deadline_kind, task.deadline_date, task.deadline_time) else DOING


# --- the same rule in SQL --------------------------------------------------------------------------

class local_day(FunctionElement):
    """The office's calendar day of a stored instant (`Task.closed_at`): exact on PostgreSQL;
    SQLite has no time zones, so there the zone's offset of today is used (exact for
    Asia/Ho_Chi_Minh, which keeps one offset all year)."""

    type = Date()
    inherit_cache = True


def office_day(column, zone: ZoneInfo):
    offset = int(datetime.now(zone).utcoffset().total_seconds())
    return local_day(column, literal(zone.key), literal(f"{offset:+d} seconds"))


@compiles(local_day, "postgresql")
def _local_day_postgresql(element, compiler, **kw):
    column, zone, _offset = list(element.clauses)
    return f"CAST(timezone({compiler.process(zone, **kw)}, {compiler.process(column, **kw)}) AS DATE)"


@compiles(local_day, "sqlite")
def _local_day_sqlite(element, compiler, **kw):
    column, _zone, offset = list(element.clauses)
    return f"date({compiler.process(column, **kw)}, {compiler.process(offset, **kw)})"


def _has_last_day():
    return and_(Task.deadline_date.is_not(None), Task.deadline_kind.is_not(None), Task.deadline_kind != "recurring")


def _past_last_day(day):
    """Is `day` after the task's last day? ("trước ngày X" without a time: its last day is X-1.)"""
    before_without_time = and_(Task.deadline_kind == "before", func.coalesce(Task.deadline_time, "") == "")
    return and_(_has_last_day(), or_(and_(before_without_time, Task.deadline_date <= day),
                                     and_(not_(before_without_time), Task.deadline_date < day)))


def _closed_late(zone: ZoneInfo):
    return and_(Task.closed_at.is_not(None), _past_last_day(office_day(Task.closed_at, zone)))


def status_filter(status: str, today: date, zone: ZoneInfo):
    """The SQL condition for one status."""
    is_open, is_done = Task.status == TASK_OPEN, Task.status == TASK_DONE
    return {
        LATE: and_(is_open, _past_last_day(today)),
        ON_TIME: and_(is_open, _has_last_day(), not_(_past_last_day(today))),
        DOING: and_(is_open, not_(_has_last_day())),
        DONE_LATE: and_(is_done, _closed_late(zone)),
        DONE_ON_TIME: and_(is_done, not_(_closed_late(zone))),
        CANCELLED: Task.status == TASK_CANCELLED,
    }[status]


def due_in_week(today: date):
    """Open tasks whose last day falls in the calendar week holding `today` ("tuần này":
    `tasks.calendar.week_span`, as `tasks.lists.due_this_week` says in chat)."""
    monday, sunday = week_span(today)
    return and_(Task.status == TASK_OPEN, _past_last_day(sunday + timedelta(days=1)), not_(_past_last_day(monday)))


def status_case(today: date, zone: ZoneInfo):
    """Each task's status as an SQL expression (for counting per status in one query). The
    stored status is tested first, so that each row computes only its own branch's dates."""
    open_status = case((_past_last_day(today), LATE), (_has_last_day(), ON_TIME), else_=DOING)
    done_status = case((_closed_late(zone), DONE_LATE), else_=DONE_ON_TIME)
    return case((Task.status == TASK_OPEN, open_status), (Task.status == TASK_DONE, done_status), else_=CANCELLED)

