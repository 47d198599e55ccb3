"""The task list (search, filters, sorting, pages) and the page of one task, read into plain rows.

Every filter is SQL, so a page costs the same on 50,000 tasks as on 50 (bench/bench_console.py).
Search matches the folded text (`Task.search_key`: with or without diacritics, any case), every
word given; "#12" or "12" finds task #12.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from console import statuses
from console.queries import assignee_names, delegate_names, notice_labels
from storage.models import (
    TASK_CANCELLED,
    ExtensionRequest,
    Notice,
    Officer,
    OutboxMessage,
    Reminder,
    Task,
    TaskDelegate,
    TaskEvent,
    Unit,
)
from tasks import queries
from tasks.deadlines import last_day
from tasks.text import fold

MAX_ID = 2**31 - 1
SORTS = {"number": Task.id, "deadline": Task.due_at, "unit": Unit.name}
DUE_FILTERS = {"week": "Đến hạn tuần này", "overdue": "Quá hạn"}
_NUMBER = re.compile(r"^#?(\d{1,10})$")


def _bounded(text: str) -> int | None:
    try:
        value = int(text)
    except ValueError:
        return None
    return value if 0 < value <= MAX_ID else None


@dataclass(frozen=True)
class TaskFilter:
    q: str = ""
    unit: int | None = None
    notice: int | None = None
    status: str = ""
    due: str = ""
    delegate: int | None = None  # an officer the task is handed to
    sort: str = "number"
    descending: bool = True
    page: int = 1

    @classmethod
    def from_args(cls, args) -> TaskFilter:
        """From the query string; values that are not on offer are ignored."""
        status, due, sort = args.get("status", ""), args.get("due", ""), args.get("sort", "number")
        sort = sort if sort in SORTS else "number"
        order = args.get("dir", "")
        return cls(
            q=" ".join(args.get("q", "").split())[:200],
            unit=_bounded(args.get("unit", "")),
            notice=_bounded(args.get("notice", "")),
            status=status if status in statuses.ALL_LABELS else "",
            due=due if due in DUE_FILTERS else "",
            delegate=_bounded(args.get("delegate", "")),
            sort=sort,
            descending=order == "desc" if order in ("asc", "desc") else sort == "number",
            page=_bounded(args.get("page", "")) or 1,
        )

    def args(self, **changed) -> dict:
        """The query string of this filter with some values changed (for links)."""
        values = replace(self, **changed)
        found = {"q": values.q, "unit": values.unit, "notice": values.notice, "status": values.status,
                 "due": values.due, "delegate": values.delegate, "sort": values.sort if values.sort != "number" else None,
                 "dir": "desc" if values.descending else "asc", "page": values.page if values.page > 1 else None}
        return {k: v for k, v in found.items() if v}

    @property
    def narrowed(self) -> bool:
        return bool(self.q or self.unit or self.notice or self.status or self.due or self.delegate)


def _search(q: str) -> list:
    """Conditions for the words of `q`: task numbers ("#12") or words of the text."""
    words = q.split()
    numbers = [_NUMBER.match(w) for w in words]
    if words and all(numbers):
        return [Task.id.in_([int(m[1]) for m in numbers if int(m[1]) <= MAX_ID] or [0])]
    return [Task.search_key.contains(word, autoescape=True) for word in fold(q).split()]


def conditions(flt: TaskFilter, now: datetime, zone: ZoneInfo, *, with_status: bool = True) -> list:
    """The SQL conditions of a filter: published tasks (cancelled ones only when asked for)."""
    today = now.astimezone(zone).date()
    live = [Task.published == True]  # noqa: E712
    if flt.status == statuses.CANCELLED and with_status:
        published = select(Notice.id).where(Notice.published_at.is_not(None))
        live = [Task.status == TASK_CANCELLED, Task.notice_id.in_(published)]
    found = [*live, *_search(flt.q)]
    if flt.unit:
        found.append(Task.unit_id == flt.unit)
    if flt.notice:
        found.append(Task.notice_id == flt.notice)
    if flt.delegate:
        found.append(Task.id.in_(select(TaskDelegate.task_id).where(TaskDelegate.officer_id == flt.delegate,
                                                                    TaskDelegate.revoked_at.is_(None))))
    if flt.status and with_status and flt.status != statuses.CANCELLED:
        found.append(statuses.status_filter(flt.status, today, zone))
    if flt.due == "overdue":
        found.append(statuses.status_filter(statuses.LATE, today, zone))
    elif flt.due == "week":
        found.append(statuses.due_in_week(today))
    return found


@dataclass(frozen=True)
class ListedTask:
    number: int
    ref: str
    notice_id: int
    notice: str
    unit: str | None
    unit_raw: str
    people: list[str]
    text: str
    deadline_raw: str | None
    last_day: date | None
    status: str
    days_late: int
    delegates: list[str] = field(default_factory=list)


@dataclass
class TaskList:
    rows: list[ListedTask]
    total: int
    page: int
    pages: int
    by_status: dict[str, int] = field(default_factory=dict)


def task_list(session: Session, flt: TaskFilter, now: datetime, zone: ZoneInfo, *, per_page: int = 50) -> TaskList:
    where = conditions(flt, now, zone)
    counts = status_counts(session, flt, now, zone)
    if flt.status == statuses.CANCELLED:
        total = session.exec(select(func.count()).select_from(Task).where(*where)).one()
    else:  # the counts are of the same tasks, the status aside: no second count
        total = counts.get(flt.status, 0) if flt.status else sum(n for s, n in counts.items() if s != statuses.CANCELLED)
    pages = max(1, -(-total // per_page))
    page = min(flt.page, pages)
    column = SORTS[flt.sort]
    order = [column.desc() if flt.descending else column.asc()]
    if flt.sort == "deadline":
        order = [Task.due_at.is_(None), *order]
    order.append(Task.id.desc() if flt.descending else Task.id.asc())
    # The page's ids first (from the indexes alone, however deep the page), then those rows.
    ids = session.exec(select(Task.id).join(Unit, Unit.id == Task.unit_id, isouter=True).where(*where)
                       .order_by(*order).offset((page - 1) * per_page).limit(per_page)).all()
    found = {t.id: (t, unit) for t, unit in session.exec(
        select(Task, Unit.name).join(Unit, Unit.id == Task.unit_id, isouter=True).where(Task.id.in_(ids))).all()}
    people = assignee_names(session, list(ids))
    handed = delegate_names(session, list(ids))
    labels = notice_labels(session, {t.notice_id for t, _ in found.values()})
    rows = [ListedTask(t.id, t.ref, t.notice_id, labels.get(t.notice_id, ""), unit, t.unit_raw, people[t.id], t.text,
                       t.deadline_raw, last_day(t.deadline_kind, t.deadline_date, t.deadline_time),
                       statuses.status_of(t, now, zone), statuses.days_late(t, now, zone), handed[t.id])
            for t, unit in (found[i] for i in ids)]
    return TaskList(rows, total, page, pages, counts)


def delegate_choices(session: Session) -> list[tuple[int, str]]:
    """Officers some task is handed to now (for the filter "giao cho"), by name."""
    return list(session.exec(
        select(Officer.id, Officer.full_name).where(Officer.id.in_(
            select(TaskDelegate.officer_id).where(TaskDelegate.revoked_at.is_(None)).distinct()))
        .order_by(Officer.full_name)).all())


def status_counts(session: Session, flt: TaskFilter, now: datetime, zone: ZoneInfo) -> dict[str, int]:
    """How many tasks of each status the filter holds, the status itself aside."""
    today = now.astimezone(zone).date()
    status = statuses.status_case(today, zone).label("status")
    where = conditions(flt, now, zone, with_status=False)
    return dict(session.exec(select(status, func.count()).where(*where).group_by(status)).all())


# --- one task -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlannedReminder:
    officer: str
    planned_at: datetime
    kind: str
    state: str
    delivery: str | None  # the outbox status, once handed to it
    sent_at: datetime | None


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str
    actor: str | None
    note: str | None
    data: dict


@dataclass(frozen=True)
class TaskPage:
    task: Task
    notice: Notice
    notice_label: str
    unit: Unit | None
    people: list[Officer]
    coordinators: list[Unit]
    status: str
    days_late: int
    last_day: date | None
    reminders: list[PlannedReminder]
    history: list[HistoryEntry]
    extensions: list[tuple[ExtensionRequest, str | None, str | None]]
    delegations: list[Handed] = field(default_factory=list)
    reports: list[queries.Report] = field(default_factory=list)


@dataclass(frozen=True)
class Handed:
    """A standing hand-over: to whom (and which unit's part), by whom, since when."""

    officer: Officer
    unit: str
    by: str | None
    at: datetime


def delegations_of(session: Session, task_id: int) -> list[Handed]:
    found = queries.delegations(session, task_id)
    names = dict(session.exec(select(Officer.id, Officer.full_name)
                              .where(Officer.id.in_([d.delegated_by_id for d, _ in found]))).all())
    units = dict(session.exec(select(Unit.id, Unit.name).where(Unit.id.in_([d.unit_id for d, _ in found]))).all())
    return [Handed(o, units.get(d.unit_id, ""), names.get(d.delegated_by_id), d.delegated_at) for d, o in found]


def reminders_of(session: Session, task_id: int) -> list[PlannedReminder]:
    rows = session.exec(
        select(Reminder, Officer.full_name, OutboxMessage.status, OutboxMessage.sent_at)
        .join(Officer, Officer.id == Reminder.officer_id)
        .join(OutboxMessage, OutboxMessage.id == Reminder.outbox_id, isouter=True)
        .where(Reminder.task_id == task_id).order_by(Reminder.planned_at, Reminder.id)
    ).all()
    return [PlannedReminder(name, r.planned_at, r.kind, r.state, status, sent) for r, name, status, sent in rows]


def _readable(changed: dict, officers: dict[int, str], units: dict[int, str]) -> dict:
    """An amendment's [before, after] pairs with names for ids and lists joined."""
    def say(name: str, value):
        if name == "unit_id":
            return units.get(value, "—") if value else "—"
        if name in ("assignee_ids", "coordinator_ids"):
            names = officers if name == "assignee_ids" else units
            return ", ".join(names.get(i, "?") for i in value) or "—"
        return "; ".join(value) if isinstance(value, list) else value

    return {name: [say(name, before), say(name, after)] for name, (before, after) in changed.items()}


def history_of(session: Session, task_id: int) -> list[HistoryEntry]:
    rows = session.exec(
        select(TaskEvent, Officer.full_name).join(Officer, Officer.id == TaskEvent.actor_id, isouter=True)
        .where(TaskEvent.task_id == task_id).order_by(TaskEvent.at, TaskEvent.id)
    ).all()
    changes = [e.data["changed"] for e, _ in rows if isinstance((e.data or {}).get("changed"), dict)]
    people = {i for c in changes for pair in c.get("assignee_ids", []) for i in pair or []}
    places = {i for c in changes for i in (*c.get("unit_id", []), *sum(c.get("coordinator_ids", []), []))
              if isinstance(i, int)}
    officers = dict(session.exec(select(Officer.id, Officer.full_name).where(Officer.id.in_(people))).all())
    units = dict(session.exec(select(Unit.id, Unit.name).where(Unit.id.in_(places))).all())
    found = []
    for event, name in rows:
        data = dict(event.data or {})
        if isinstance(data.get("changed"), dict):
            data["changed"] = _readable(data["changed"], officers, units)
        found.append(HistoryEntry(event.at, event.action, name, event.note, data))
    return found


def extensions_of(session: Session, task_id: int) -> list[tuple[ExtensionRequest, str | None, str | None]]:
    """Each request for more time, with who asked and who decided."""
    names = dict(session.exec(select(Officer.id, Officer.full_name)).all())
    found = session.exec(select(ExtensionRequest).where(ExtensionRequest.task_id == task_id)
                         .order_by(ExtensionRequest.id)).all()
    return [(r, names.get(r.requested_by_id), names.get(r.decided_by_id)) for r in found]


def task_page(session: Session, task_id: int, now: datetime, zone: ZoneInfo) -> TaskPage | None:
    task = session.get(Task, task_id)
    if task is None:
        return None
    notice = session.get(Notice, task.notice_id)
    return TaskPage(
        task=task, notice=notice, notice_label=notice_labels(session, {notice.id})[notice.id],
        unit=queries.unit_of(session, task), people=queries.assignees(session, task.id),
        coordinators=queries.coordinators(session, task.id), status=statuses.status_of(task, now, zone),
        days_late=statuses.days_late(task, now, zone),
        last_day=last_day(task.deadline_kind, task.deadline_date, task.deadline_time),
        reminders=reminders_of(session, task.id), history=history_of(session, task.id),
        extensions=extensions_of(session, task.id), delegations=delegations_of(session, task.id),
        reports=queries.progress_reports(session, task.id),
    )
