"""A stored notice as the office reviews it before publishing: each row next to what the notice
says, what blocks its publication, and the choices the draft's forms offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from console.queries import NoticeRow, notice_row
from notices.model import Deadline
from storage.models import (
    TASK_CANCELLED,
    Notice,
    NoticeEvent,
    Officer,
    Task,
    TaskAssignee,
    TaskCoordinator,
    TaskEvent,
    Unit,
)
from tasks.text import fold
from tasks.wording import due_in_words


def deadline_understood(task: Task, zone: ZoneInfo) -> str | None:
    """The stored deadline in the words `nhacviec import` uses for it (None: no deadline)."""
    if not task.deadline_kind:
        return None
    deadline = Deadline(task.deadline_raw or "", task.deadline_kind, task.deadline_date, task.deadline_time,
                        task.deadline_start)
    return due_in_words(deadline, task.due_at, zone)


def unresolved_people(written: list[str], resolved: list[str]) -> list[str]:
    """Names as written that none of the resolved officers' names can be found in."""
    keys = [fold(name) for name in resolved]
    return [name for name in written if not any(key in fold(name) for key in keys)]


@dataclass(frozen=True)
class ReviewRow:
    """One stored task as the importer understood it, next to what the notice says."""

    task_id: int
    ref: str
    text: str
    unit_raw: str
    unit: str | None
    unit_id: int | None
    people: list[str]
    people_ids: list[int]
    people_unresolved: list[str]
    coordinating: list[str]
    coordinator_ids: list[int]
    deadline_raw: str | None
    deadline_understood: str | None
    deadline_unclear: bool
    deadline_kind: str | None
    deadline_date: date | None
    deadline_time: str | None
    deadline_start: date | None
    warnings: list[str]
    unread_deadlines: list[str]
    edited: bool

    @property
    def blocking(self) -> list[str]:
        """Why this row may not be published unless the office ticks it as checked."""
        reasons = []
        if self.unit is None:
            reasons.append("chưa xác định đơn vị chủ trì")
        if self.unread_deadlines:
            reasons.append("có cụm từ giống thời hạn chưa đọc được")
        return reasons

    @property
    def flagged(self) -> bool:
        return bool(self.blocking or self.deadline_unclear or self.people_unresolved or self.warnings)


@dataclass(frozen=True)
class Review:
    notice: NoticeRow
    title: str
    rows: list[ReviewRow]
    warnings: list[str]
    history: list[tuple[NoticeEvent, str | None]]

    @property
    def blocking(self) -> list[ReviewRow]:
        return [r for r in self.rows if r.blocking]


def _by_task(rows) -> dict[int, list]:
    found: dict[int, list] = {}
    for task_id, value in rows:
        found.setdefault(task_id, []).append(value)
    return found


def review(session: Session, notice_id: int, zone: ZoneInfo) -> Review | None:
    """A stored notice and its tasks (those not cancelled), for the office to check and fix."""
    notice = session.get(Notice, notice_id)
    if notice is None or notice.discarded_at is not None:
        return None
    tasks = session.exec(select(Task).where(Task.notice_id == notice_id, Task.status != TASK_CANCELLED)
                         .order_by(Task.id)).all()
    ids = [t.id for t in tasks]
    units = {u.id: u.name for u in session.exec(select(Unit))}
    names = dict(session.exec(select(Officer.id, Officer.full_name)).all())
    people = _by_task(session.exec(select(TaskAssignee.task_id, TaskAssignee.officer_id)
                                   .where(TaskAssignee.task_id.in_(ids)).order_by(TaskAssignee.officer_id)))
    partners = _by_task(session.exec(select(TaskCoordinator.task_id, TaskCoordinator.unit_id)
                                     .where(TaskCoordinator.task_id.in_(ids)).order_by(TaskCoordinator.unit_id)))
    edited = set(session.exec(select(TaskEvent.task_id).where(TaskEvent.task_id.in_(ids),
                                                              TaskEvent.action == "amended")))
    rows = [_row(t, units, names, people.get(t.id, []), partners.get(t.id, []), notice, t.id in edited, zone)
            for t in tasks]
    history = session.exec(select(NoticeEvent, Officer.full_name)
                           .join(Officer, Officer.id == NoticeEvent.actor_id, isouter=True)
                           .where(NoticeEvent.notice_id == notice_id).order_by(NoticeEvent.at, NoticeEvent.id)).all()
    return Review(notice_row(notice, len(tasks)), notice.title, rows, list(notice.warnings),
                  [(e, name) for e, name in history])


def _row(task: Task, units: dict, names: dict, people: list[int], partners: list[int], notice: Notice,
         edited: bool, zone: ZoneInfo) -> ReviewRow:
    people_names = [names[i] for i in people]
    return ReviewRow(
        task_id=task.id, ref=task.ref, text=task.text, unit_raw=task.unit_raw, unit=units.get(task.unit_id),
        unit_id=task.unit_id, people=people_names, people_ids=people,
        people_unresolved=[] if edited else unresolved_people(task.assignees_raw, people_names),
        coordinating=[units[i] for i in partners], coordinator_ids=partners, deadline_raw=task.deadline_raw,
        deadline_understood=deadline_understood(task, zone),
        deadline_unclear=bool(task.deadline_kind) and task.deadline_kind != "recurring" and task.due_at is None,
        deadline_kind=task.deadline_kind, deadline_date=task.deadline_date, deadline_time=task.deadline_time,
        deadline_start=task.deadline_start,
        warnings=[] if edited else [w for w in notice.warnings if w.startswith(f"{task.ref}:")],
        unread_deadlines=list(task.unread_deadlines), edited=edited,
    )


@dataclass(frozen=True)
class Choices:
    """What the draft's forms offer: units and active officers."""

    units: list[tuple[int, str]]
    officers: list[tuple[int, str, str]]  # id, name, unit name


def choices(session: Session) -> Choices:
    units = list(session.exec(select(Unit.id, Unit.name).order_by(Unit.id)).all())
    names = dict(units)
    officers = [(o.id, o.full_name, names.get(o.unit_id, "")) for o in session.exec(
        select(Officer).where(Officer.active == True).order_by(Officer.unit_id, Officer.full_name))]  # noqa: E712
    return Choices(units, officers)
