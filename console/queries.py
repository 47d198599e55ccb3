"""What the console shows, read from storage into plain rows (no Flask, no HTML).

Each page has one function taking a session. Counting is done by the database (a dashboard on
50,000 tasks reads a few hundred rows); the status rule is `console.statuses`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, select

from console import statuses
from storage.models import (
    OUTBOX_STATES,
    TASK_DONE,
    TASK_OPEN,
    UNCERTAIN_STUCK_AFTER,
    Notice,
    Officer,
    OutboxMessage,
    Task,
    TaskAssignee,
    TaskCoordinator,
    TaskDelegate,
    Unit,
    utcnow,
)
from tasks.calendar import week_span
from tasks.text import fold
from tasks.wording import notice_label

NO_UNIT = "Chưa rõ đơn vị"
RECENT = timedelta(days=7)
RECENT_NOTICES = 10


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
    discarded_at: datetime | None = None

    @property
    def published(self) -> bool:
        return self.published_at is not None


def label_of(notice: Notice) -> str:
    """'Thông báo kết luận tuần 7/2025': how the console names a notice."""
    return _label(notice.week, notice.year, notice.symbol, notice.meeting_on)


def _label(week: int | None, year: int | None, symbol: str | None, meeting_on: date | None) -> str:
    label = notice_label(week, symbol, meeting_on)
    return f"{label}/{year}" if week and year else label


def notice_row(notice: Notice, tasks: int) -> NoticeRow:
    return NoticeRow(notice.id, label_of(notice), notice.source_name, notice.meeting_on, notice.imported_at,
                     notice.published_at, tasks, len(notice.warnings), notice.discarded_at)


def _live_tasks():
    return Task.status != "cancelled"


def notice(session: Session, notice_id: int) -> NoticeRow | None:
    found = session.get(Notice, notice_id)
    count = session.exec(select(func.count()).select_from(Task)
                         .where(Task.notice_id == notice_id, _live_tasks())).one()
    return notice_row(found, count) if found else None


def notices(session: Session, *, limit: int | None = None, offset: int = 0) -> list[NoticeRow]:
    """The notices not deleted, newest first (a page of them), with their number of tasks."""
    found = session.exec(select(Notice).where(Notice.discarded_at.is_(None))
                         .order_by(Notice.imported_at.desc(), Notice.id.desc()).offset(offset).limit(limit)).all()
    counts = dict(session.exec(select(Task.notice_id, func.count())
                               .where(_live_tasks(), Task.notice_id.in_([n.id for n in found]))
                               .group_by(Task.notice_id)).all())
    return [notice_row(n, counts.get(n.id, 0)) for n in found]


def notice_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Notice).where(Notice.discarded_at.is_(None))).one()


def published_notice_choices(session: Session) -> list[tuple[int, str]]:
    """(id, label) of each published notice, newest first: the choices of a filter."""
    rows = session.exec(select(Notice.id, Notice.week, Notice.year, Notice.symbol, Notice.meeting_on)
                        .where(Notice.published_at.is_not(None), Notice.discarded_at.is_(None))
                        .order_by(Notice.published_at.desc(), Notice.id.desc())).all()
    return [(i, _label(w, y, s, m)) for i, w, y, s, m in rows]


def notice_labels(session: Session, notice_ids) -> dict[int, str]:
    ids = list(notice_ids)
    if not ids:
        return {}
    return {n.id: label_of(n) for n in session.exec(select(Notice).where(Notice.id.in_(ids)))}


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


def delegate_names(session: Session, task_ids) -> dict[int, list[str]]:
    """task id -> officers it is handed to now, in the order handed (`task_ids`: a list, or a
    query of ids)."""
    return _grouped(session.exec(
        select(TaskDelegate.task_id, Officer.full_name).join(Officer, Officer.id == TaskDelegate.officer_id)
        .where(TaskDelegate.task_id.in_(task_ids), TaskDelegate.revoked_at.is_(None))
        .order_by(TaskDelegate.task_id, TaskDelegate.delegated_at, Officer.id)))


def coordinator_names(session: Session, task_ids: list[int]) -> dict[int, list[str]]:
    """task id -> the units that coordinate on it."""
    return _grouped(session.exec(
        select(TaskCoordinator.task_id, Unit.name).join(Unit, Unit.id == TaskCoordinator.unit_id)
        .where(TaskCoordinator.task_id.in_(task_ids)).order_by(TaskCoordinator.task_id, Unit.id)
    ))


def unit_names(session: Session) -> dict[int, str]:
    return {u.id: u.name for u in session.exec(select(Unit).order_by(Unit.id))}


# --- "tuần này" and the dashboard ---------------------------------------------------------------

@dataclass
class UnitLoad:
    """A unit's published tasks: open, overdue (among open), due this week (open), closed lately."""

    name: str
    unit_id: int | None = None
    open: int = 0
    overdue: int = 0
    due_this_week: int = 0
    closed_recently: int = 0
    closed: int = 0

    @property
    def total(self) -> int:
        return self.open + self.closed

    def add(self, other: UnitLoad) -> None:
        for name in ("open", "overdue", "due_this_week", "closed_recently", "closed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def unit_loads(session: Session, now: datetime, zone: ZoneInfo) -> tuple[list[UnitLoad], UnitLoad]:
    """Per unit (every unit, in directory order, then tasks without a unit) and in total."""
    today = now.astimezone(zone).date()
    rows = session.exec(select(
        Task.unit_id, _count(Task.status == TASK_OPEN), _count(statuses.status_filter(statuses.LATE, today, zone)),
        _count(statuses.due_in_week(today)),
        _count(and_(Task.status == TASK_DONE, Task.closed_at >= now - RECENT)), _count(Task.status == TASK_DONE),
    ).where(Task.published == True).group_by(Task.unit_id)).all()  # noqa: E712
    loads: dict[int | None, UnitLoad] = {uid: UnitLoad(name, uid) for uid, name in unit_names(session).items()}
    total = UnitLoad("Toàn Sở")
    for unit_id, *counts in rows:
        load = loads.get(unit_id) or loads.setdefault(None, UnitLoad(NO_UNIT))
        counted = UnitLoad("", unit_id, *(int(c or 0) for c in counts))
        load.add(counted)
        total.add(counted)
    return list(loads.values()), total


@dataclass(frozen=True)
class LateTask:
    number: int
    unit: str
    people: list[str]
    text: str
    deadline_raw: str | None
    days_late: int


@dataclass(frozen=True)
class Dashboard:
    units: list[UnitLoad]
    total: UnitLoad
    most_late: list[LateTask]
    notices: list[NoticeRow]  # the newest few
    week: tuple[date, date]
    notice_count: int = 0


def most_late(session: Session, now: datetime, zone: ZoneInfo, limit: int = 10) -> list[LateTask]:
    today = now.astimezone(zone).date()
    found = session.exec(
        select(Task, Unit.name).join(Unit, Unit.id == Task.unit_id, isouter=True)
        .where(Task.published == True, statuses.status_filter(statuses.LATE, today, zone))  # noqa: E712
        .order_by(Task.deadline_date, Task.id).limit(limit * 2)
    ).all()
    late = sorted(found, key=lambda row: (-statuses.days_late(row[0], now, zone), row[0].id))[:limit]
    people = assignee_names(session, [t.id for t, _ in late])
    return [LateTask(t.id, unit or NO_UNIT, people[t.id], t.text, t.deadline_raw, statuses.days_late(t, now, zone))
            for t, unit in late]


def dashboard(session: Session, now: datetime, zone: ZoneInfo) -> Dashboard:
    loads, total = unit_loads(session, now, zone)
    return Dashboard(loads, total, most_late(session, now, zone), notices(session, limit=RECENT_NOTICES),
                     week_span(now.astimezone(zone).date()), notice_count(session))


# --- who works in the console -----------------------------------------------------------------------

@dataclass(frozen=True)
class Clerk:
    id: int
    name: str
    title: str


def clerks(session: Session) -> list[Clerk]:
    """Who may be named as working in the console: the office's staff and the admins (văn thư)."""
    office = select(Unit.id).where(Unit.kind == "office")
    rows = session.exec(select(Officer).where(Officer.active == True,  # noqa: E712
                                              or_(Officer.role == "admin", Officer.unit_id.in_(office)))
                        .order_by(Officer.full_name))
    return [Clerk(o.id, o.full_name, o.title) for o in rows]


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
    channel: str | None = None
    stuck: bool = False  # uncertain for over an hour: the office may send it again


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
                m.sent_at, m.last_error, m.channel,
                m.status == "uncertain" and m.uncertain_since is not None
                and m.uncertain_since < utcnow() - UNCERTAIN_STUCK_AFTER) for m, name in rows],
        total, page, pages, by_status, list(kinds),
    )
