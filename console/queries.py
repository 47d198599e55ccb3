"""What the console shows, read from storage into plain rows (no Flask, no HTML).

Each page has one function taking a session; the counting behind the dashboard and the report
is pure (`unit_loads`, `task_status`) so that it can be checked without a database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from notices.model import Deadline
from scheduler.summaries import unreachable_officers
from storage.models import (
    OUTBOX_STATES,
    TASK_OPEN,
    Notice,
    Officer,
    OutboxMessage,
    Task,
    TaskAssignee,
    TaskCoordinator,
    Unit,
)
from tasks.deadlines import last_day, overdue_days
from tasks.text import fold
from tasks.wording import due_in_words, notice_label

NO_UNIT = "Chưa rõ đơn vị"
RECENT = timedelta(days=7)


# --- notices -------------------------------------------------------------------------------

@dataclass(frozen=True)
class NoticeRow:
    id: int
    label: str
    source_name: str
    meeting_on: date | None
    imported_at: datetime
    published_at: datetime | None
    tasks: int
    warnings: int

    @property
    def published(self) -> bool:
        return self.published_at is not None


def _notice_row(notice: Notice, tasks: int) -> NoticeRow:
    label = notice_label(notice.week, notice.symbol, notice.meeting_on)
    if notice.week and notice.year:
        label += f"/{notice.year}"
    return NoticeRow(notice.id, label, notice.source_name, notice.meeting_on, notice.imported_at,
                     notice.published_at, tasks, len(notice.warnings))


def notice(session: Session, notice_id: int) -> NoticeRow | None:
    found = session.get(Notice, notice_id)
    count = session.exec(select(func.count()).select_from(Task).where(Task.notice_id == notice_id)).one()
    return _notice_row(found, count) if found else None


def notices(session: Session) -> list[NoticeRow]:
    """Every notice, newest first, with its number of tasks."""
    counts = dict(session.exec(select(Task.notice_id, func.count()).group_by(Task.notice_id)).all())
    return [_notice_row(n, counts.get(n.id, 0))
            for n in session.exec(select(Notice).order_by(Notice.imported_at.desc(), Notice.id.desc()))]


@dataclass(frozen=True)
class ReviewRow:
    """One stored task as the importer understood it, next to what the notice says."""

    task_id: int
    ref: str
    text: str
    unit_raw: str
    unit: str | None
    people: list[str]
    people_unresolved: list[str]
    coordinating: list[str]
    deadline_raw: str | None
    deadline_understood: str | None
    deadline_unclear: bool
    warnings: list[str]

    @property
    def flagged(self) -> bool:
        return self.unit is None or self.deadline_unclear or bool(self.people_unresolved or self.warnings)


@dataclass(frozen=True)
class Review:
    notice: NoticeRow
    title: str
    rows: list[ReviewRow]
    warnings: list[str]


def _grouped(rows) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for task_id, name in rows:
        found[task_id].append(name)
    return found


def assignee_names(session: Session, task_ids: list[int]) -> dict[int, list[str]]:
    """task id -> the officers named for it."""
    return _grouped(session.exec(
        select(TaskAssignee.task_id, Officer.full_name).join(Officer, Officer.id == TaskAssignee.officer_id)
        .where(TaskAssignee.task_id.in_(task_ids)).order_by(TaskAssignee.task_id, Officer.id)
    ))


def coordinator_names(session: Session, task_ids: list[int]) -> dict[int, list[str]]:
    """task id -> the units that coordinate on it."""
    return _grouped(session.exec(
        select(TaskCoordinator.task_id, Unit.name).join(Unit, Unit.id == TaskCoordinator.unit_id)
        .where(TaskCoordinator.task_id.in_(task_ids)).order_by(TaskCoordinator.task_id, Unit.id)
    ))


def unresolved_people(written: list[str], resolved: list[str]) -> list[str]:
    """Names as written that none of the resolved officers' names can be found in."""
    keys = [fold(name) for name in resolved]
    return [name for name in written if not any(key in fold(name) for key in keys)]


def deadline_understood(task: Task, zone: ZoneInfo) -> str | None:
    """The stored deadline in the words `nhacviec import` uses for it (None: no deadline)."""
    if not task.deadline_raw:
        return None
    deadline = Deadline(task.deadline_raw, task.deadline_kind, task.deadline_date, task.deadline_time,
                        task.deadline_start)
    return due_in_words(deadline, task.due_at, zone)


def review(session: Session, notice_id: int, zone: ZoneInfo) -> Review | None:
    """A stored notice and its tasks, for the office to check before publishing."""
    notice = session.get(Notice, notice_id)
    if notice is None:
        return None
    tasks = session.exec(select(Task).where(Task.notice_id == notice_id).order_by(Task.id)).all()
    ids = [t.id for t in tasks]
    units = unit_names(session)
    people = assignee_names(session, ids)
    partners = coordinator_names(session, ids)
    rows = []
    for task in tasks:
        rows.append(ReviewRow(
            task_id=task.id,
            ref=task.ref,
            text=task.text,
            unit_raw=task.unit_raw,
            unit=units.get(task.unit_id),
            people=people[task.id],
            people_unresolved=unresolved_people(task.assignees_raw, people[task.id]),
            coordinating=partners[task.id],
            deadline_raw=task.deadline_raw,
            deadline_understood=deadline_understood(task, zone),
            deadline_unclear=bool(task.deadline_raw) and task.deadline_kind != "recurring" and task.due_at is None,
            warnings=[w for w in notice.warnings if w.startswith(f"{task.ref}:")],
        ))
    return Review(_notice_row(notice, len(tasks)), notice.title, rows, list(notice.warnings))


# --- dashboard and report ---------------------------------------------------------------------

@dataclass
class UnitLoad:
    """A unit's published tasks: open, overdue (among open), due this week (open), closed lately."""

    name: str
    open: int = 0
    overdue: int = 0
    due_this_week: int = 0
    closed_recently: int = 0
    closed: int = 0

    @property
    def total(self) -> int:
        return self.open + self.closed


def week_bounds(now: datetime, zone: ZoneInfo) -> tuple[date, date]:
    """Monday and Sunday of the local week holding `now`."""
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def unit_loads(tasks: list[Task], unit_names: dict[int, str], now: datetime, zone: ZoneInfo) -> tuple[list[UnitLoad], UnitLoad]:
    """Per unit (every unit listed, in the order given, then tasks without a unit) and in total."""
    monday, sunday = week_bounds(now, zone)
    loads: dict[int | None, UnitLoad] = {unit_id: UnitLoad(name) for unit_id, name in unit_names.items()}
    total = UnitLoad("Toàn Sở")
    for task in tasks:
        load = loads.get(task.unit_id) or loads.setdefault(None, UnitLoad(NO_UNIT))
        for counted in (load, total):
            if task.status != TASK_OPEN:
                counted.closed += 1
                counted.closed_recently += bool(task.closed_at and task.closed_at >= now - RECENT)
                continue
            counted.open += 1
            counted.overdue += overdue_days(task, now, zone) > 0
            end = last_day(task.deadline_kind, task.deadline_date, task.deadline_time)
            counted.due_this_week += bool(end and monday <= end <= sunday)
    return list(loads.values()), total


def task_status(task: Task, now: datetime, zone: ZoneInfo) -> str:
    """'Đã hoàn thành', 'Quá hạn 3 ngày' or 'Đang thực hiện'."""
    if task.status != TASK_OPEN:
        return "Đã hoàn thành"
    late = overdue_days(task, now, zone)
    return f"Quá hạn {late} ngày" if late else "Đang thực hiện"


@dataclass(frozen=True)
class TaskRow:
    """A published task with the names around it, for the dashboard and the Excel report."""

    number: int
    notice: str
    ref: str
    unit: str
    people: list[str]
    text: str
    deadline_raw: str | None
    due_at: datetime | None
    status: str
    days_late: int
    closed_by: str | None
    closed_at: datetime | None
    note: str | None


def published_tasks(session: Session) -> list[Task]:
    return list(session.exec(select(Task).where(Task.published == True).order_by(Task.id)))  # noqa: E712


def unit_names(session: Session) -> dict[int, str]:
    return {u.id: u.name for u in session.exec(select(Unit).order_by(Unit.id))}


def task_rows(session: Session, tasks: list[Task], units: dict[int, str], now: datetime, zone: ZoneInfo) -> list[TaskRow]:
    ids = [t.id for t in tasks]
    people = assignee_names(session, ids)
    officers = dict(session.exec(select(Officer.id, Officer.full_name)).all())
    labels = {n.id: n.label for n in notices(session)}
    return [
        TaskRow(
            number=t.id,
            notice=labels.get(t.notice_id, ""),
            ref=t.ref,
            unit=units.get(t.unit_id, NO_UNIT),
            people=people[t.id],
            text=t.text,
            deadline_raw=t.deadline_raw,
            due_at=t.due_at,
            status=task_status(t, now, zone),
            days_late=overdue_days(t, now, zone),
            closed_by=officers.get(t.closed_by_id),
            closed_at=t.closed_at,
            note=t.close_note,
        )
        for t in tasks
    ]


@dataclass(frozen=True)
class Dashboard:
    units: list[UnitLoad]
    total: UnitLoad
    most_late: list[TaskRow]
    notices: list[NoticeRow]
    week: tuple[date, date]


def dashboard(session: Session, now: datetime, zone: ZoneInfo, *, most_late: int = 10) -> Dashboard:
    tasks = published_tasks(session)
    units = unit_names(session)
    loads, total = unit_loads(tasks, units, now, zone)
    late = sorted((t for t in tasks if overdue_days(t, now, zone)), key=lambda t: (-overdue_days(t, now, zone), t.id))
    return Dashboard(loads, total, task_rows(session, late[:most_late], units, now, zone), notices(session),
                     week_bounds(now, zone))


def report(session: Session, now: datetime, zone: ZoneInfo) -> tuple[list[TaskRow], list[UnitLoad], UnitLoad]:
    """Every published task, and the per-unit counts, for the Excel report."""
    tasks = published_tasks(session)
    units = unit_names(session)
    return (task_rows(session, tasks, units, now, zone), *unit_loads(tasks, units, now, zone))


# --- directory -----------------------------------------------------------------------------

@dataclass(frozen=True)
class OfficerRow:
    id: int
    full_name: str
    title: str
    role: str
    phone: str
    linked: bool
    active: bool
    last_interaction_at: datetime | None
    unreachable: str | None
    unreachable_since: datetime | None


@dataclass(frozen=True)
class UnitGroup:
    code: str
    name: str
    kind: str
    aliases: list[str]
    officers: list[OfficerRow] = field(default_factory=list)


def directory(session: Session, settings, now: datetime) -> list[UnitGroup]:
    """Units in directory order with their officers, and who the bot cannot reach and why."""
    cut_off = {u.officer_id: u for u in unreachable_officers(session, settings, now)}
    groups = {u.id: UnitGroup(u.code, u.name, u.kind, list(u.aliases))
              for u in session.exec(select(Unit).order_by(Unit.id))}
    for o in session.exec(select(Officer).order_by(Officer.unit_id, Officer.id)):
        why = cut_off.get(o.id)
        groups[o.unit_id].officers.append(OfficerRow(
            o.id, o.full_name, o.title, o.role, o.phone, bool(o.zalo_user_id), o.active, o.last_interaction_at,
            why.reason if why else None, why.since if why else o.unreachable_since,
        ))
    return list(groups.values())


# --- delivery log --------------------------------------------------------------------------

@dataclass(frozen=True)
class LogFilter:
    status: str = ""
    name: str = ""
    kind: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> LogFilter:
        """From the query string; values that are not on offer are ignored."""
        status = args.get("status", "")
        try:
            page = max(1, int(args.get("page", 1)))
        except ValueError:
            page = 1
        return cls(status if status in OUTBOX_STATES else "", " ".join(args.get("name", "").split())[:100],
                   args.get("kind", "")[:16], page)


@dataclass(frozen=True)
class LogRow:
    id: int
    recipient: str | None
    zalo_user_id: str
    kind: str
    status: str
    text: str
    attempts: int
    task_id: int | None
    created_at: datetime
    sent_at: datetime | None
    error: str | None


@dataclass(frozen=True)
class LogPage:
    rows: list[LogRow]
    total: int
    page: int
    pages: int
    by_status: dict[str, int]
    kinds: list[str]


def officers_named(session: Session, name: str) -> list[int]:
    """Ids of officers whose name holds `name`, with or without diacritics, any case."""
    key = fold(name)
    return [officer_id for officer_id, full_name in session.exec(select(Officer.id, Officer.full_name))
            if key in fold(full_name)]


def delivery_log(session: Session, flt: LogFilter, *, per_page: int = 50) -> LogPage:
    """Outbox messages newest first, filtered, one page of them."""
    conditions = []
    if flt.status:
        conditions.append(OutboxMessage.status == flt.status)
    if flt.kind:
        conditions.append(OutboxMessage.kind == flt.kind)
    if flt.name:
        conditions.append(OutboxMessage.officer_id.in_(officers_named(session, flt.name)))
    total = session.exec(select(func.count()).select_from(OutboxMessage).where(*conditions)).one()
    pages = max(1, -(-total // per_page))
    page = min(flt.page, pages)
    rows = session.exec(
        select(OutboxMessage, Officer.full_name).join(Officer, Officer.id == OutboxMessage.officer_id, isouter=True)
        .where(*conditions).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .offset((page - 1) * per_page).limit(per_page)
    ).all()
    by_status = dict(session.exec(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    kinds = session.exec(select(OutboxMessage.kind).distinct().order_by(OutboxMessage.kind)).all()
    return LogPage(
        [LogRow(m.id, name, m.zalo_user_id, m.kind, m.status, m.text, m.attempts, m.task_id, m.created_at,
                m.sent_at, m.last_error) for m, name in rows],
        total, page, pages, by_status, list(kinds),
    )
