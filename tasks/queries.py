"""What the conversation reads from storage. Only published tasks are ever shown to officers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BindParameter, bindparam, case, func, or_
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from storage.models import (
    TASK_OPEN,
    ExtensionRequest,
    Notice,
    Officer,
    ProgressReport,
    Task,
    TaskAssignee,
    TaskCoordinator,
    TaskDelegate,
    TaskEvent,
    Unit,
)
from tasks.lists import soonest_first

# Task numbers are integer ids: a longer number cannot be one (and would overflow PostgreSQL).
MAX_TASK_NUMBER = 2**31 - 1


def _open():
    return (Task.published == True, Task.status == TASK_OPEN)  # noqa: E712


def _listed():
    """Tasks as lists show them: the names as written and the closing note are read only when
    asked for (lists are built on every message; "chi tiết" reads the whole task)."""
    return select(Task).options(defer(Task.assignees_raw), defer(Task.coordinating_raw), defer(Task.close_note))


def _delegated_to(officer_id: int | BindParameter):
    """Ids of the tasks handed to the officer and not taken back."""
    return select(TaskDelegate.task_id).where(TaskDelegate.officer_id == officer_id, TaskDelegate.revoked_at.is_(None))


def _assigned(officer_id: int | BindParameter):
    """Tasks the notice names the officer for, or handed to them ("giao 9 cho Châu")."""
    # Written as IN (…) so that every database starts from the officer's few rows.
    named = select(TaskAssignee.task_id).where(TaskAssignee.officer_id == officer_id)
    return or_(Task.id.in_(named), Task.id.in_(_delegated_to(officer_id)))


def assigned_among(session: Session, officer_id: int, task_ids: list[int]) -> set[int]:
    """Which of these tasks are given to the officer, or handed to them (the task's own part)."""
    if not task_ids:
        return set()
    named = session.exec(
        select(TaskAssignee.task_id).where(TaskAssignee.officer_id == officer_id, TaskAssignee.task_id.in_(task_ids))
    )
    handed = session.exec(  # the task's own part: a coordinating unit's share does not close the task
        _delegated_to(officer_id).join(Task, Task.id == TaskDelegate.task_id)
        .where(TaskDelegate.task_id.in_(task_ids), TaskDelegate.unit_id == Task.unit_id)
    )
    return set(named) | set(handed)


def unit_open(session: Session, unit_id: int) -> list[Task]:
    """Open tasks the unit is responsible for."""
    return list(session.exec(_listed().where(Task.unit_id == unit_id, *_open())))


def coordinated_open(session: Session, unit_id: int) -> list[Task]:
    """Open tasks of other units in which this unit only coordinates ("phối hợp")."""
    return list(session.exec(
        _listed().join(TaskCoordinator, TaskCoordinator.task_id == Task.id)
        .where(TaskCoordinator.unit_id == unit_id, *_open())
    ))


def _my_open_statement(head: bool):
    """"Việc của tôi" as one query, built once: it runs on nearly every message."""
    mine = _assigned(bindparam("officer_id"))
    if head:
        mine = or_(mine, Task.unit_id == bindparam("unit_id"))
    return _listed().where(mine, *_open())


_MY_OPEN = {head: _my_open_statement(head) for head in (False, True)}


def my_open(session: Session, officer: Officer) -> list[Task]:
    """"Việc của tôi": tasks given or handed to the officer, plus the unit's own for its head."""
    statement = _MY_OPEN[officer.role == "head"]
    return soonest_first(session.exec(statement, params={"officer_id": officer.id, "unit_id": officer.unit_id}))


def directed_units(session: Session, leader: Officer) -> list[Unit]:
    """Units this leader directs: theirs by `director_id`, and every unit nobody is named for."""
    return list(session.exec(
        select(Unit).where(or_(Unit.director_id == leader.id, Unit.director_id.is_(None)), Unit.id != leader.unit_id)
        .order_by(Unit.id)
    ))


def open_counts(session: Session, unit_ids: list[int], now: datetime) -> dict[int, tuple[int, int]]:
    """unit id -> (open tasks, overdue among them)."""
    if not unit_ids:
        return {}
    overdue = func.sum(case((Task.due_at < now, 1), else_=0))
    rows = session.exec(
        select(Task.unit_id, func.count(), overdue).where(Task.unit_id.in_(unit_ids), *_open()).group_by(Task.unit_id)
    )
    return {unit_id: (count, int(late or 0)) for unit_id, count, late in rows}


def directed_open(session: Session, units: list[Unit]) -> list[Task]:
    if not units:
        return []
    return list(session.exec(_listed().where(Task.unit_id.in_([u.id for u in units]), *_open())))


def published_task(session: Session, number: int) -> Task | None:
    if not 0 < number <= MAX_TASK_NUMBER:
        return None
    task = session.get(Task, number, populate_existing=True)
    return task if task is not None and task.published else None


def assignees(session: Session, task_id: int) -> list[Officer]:
    return list(session.exec(
        select(Officer).join(TaskAssignee, TaskAssignee.officer_id == Officer.id)
        .where(TaskAssignee.task_id == task_id).order_by(Officer.id)
    ))


def delegations(session: Session, task_id: int) -> list[tuple[TaskDelegate, Officer]]:
    """The task's hand-overs still standing, with the officer each is to, in the order made."""
    return list(session.exec(
        select(TaskDelegate, Officer).join(Officer, Officer.id == TaskDelegate.officer_id)
        .where(TaskDelegate.task_id == task_id, TaskDelegate.revoked_at.is_(None))
        .order_by(TaskDelegate.delegated_at, Officer.id)
    ).all())


def delegates(session: Session, task_id: int) -> list[Officer]:
    """Officers the task is handed to (for the console and the report too)."""
    return [officer for _, officer in delegations(session, task_id)]


def people(session: Session, task: Task) -> list[Officer]:
    """Those answering for the whole task in person: named in the notice, or handed its unit's
    part (an officer handed a coordinating unit's share answers for that share only)."""
    handed = [o for d, o in delegations(session, task.id) if d.unit_id == task.unit_id]
    return list({o.id: o for o in assignees(session, task.id) + handed}.values())


def coordinators(session: Session, task_id: int) -> list[Unit]:
    return list(session.exec(
        select(Unit).join(TaskCoordinator, TaskCoordinator.unit_id == Unit.id)
        .where(TaskCoordinator.task_id == task_id).order_by(Unit.id)
    ))


def unit_of(session: Session, task: Task) -> Unit | None:
    return session.get(Unit, task.unit_id) if task.unit_id else None


def unit_heads(session: Session, unit_id: int | None) -> list[Officer]:
    if unit_id is None:
        return []
    return list(session.exec(
        select(Officer).where(Officer.unit_id == unit_id, Officer.role == "head", Officer.active).order_by(Officer.id)
    ))


def directors(session: Session, unit: Unit | None) -> list[Officer]:
    """The leaders who direct a unit: the one named for it (`director_id`), else every leader."""
    active = (Officer.active == True,)  # noqa: E712
    if unit is not None and unit.director_id is not None:
        return list(session.exec(select(Officer).where(Officer.id == unit.director_id, *active)))
    return list(session.exec(select(Officer).where(Officer.role == "leader", *active).order_by(Officer.id)))


def leader_ids(session: Session) -> list[int]:
    return list(session.exec(select(Officer.id).where(Officer.role == "leader")))


def office_keepers(session: Session) -> list[Officer]:
    """The office admins (role `admin`), else the head of the office: they follow every request."""
    active = (Officer.active == True,)  # noqa: E712
    office = list(session.exec(select(Officer).where(Officer.role == "admin", *active).order_by(Officer.id)))
    return office or list(session.exec(
        select(Officer).join(Unit, Unit.id == Officer.unit_id)
        .where(Unit.kind == "office", Officer.role == "head", *active).order_by(Officer.id)
    ))


def approvers(session: Session, unit: Unit | None) -> list[Officer]:
    """Who is asked to decide an extension: the leaders directing the unit, and the office
    (`office_keepers`)."""
    return list({o.id: o for o in directors(session, unit) + office_keepers(session)}.values())


def officers_named(session: Session, full_names: list[str]) -> list[Officer]:
    """Active officers by full name (as a setting names them)."""
    if not full_names:
        return []
    return list(session.exec(
        select(Officer).where(Officer.full_name.in_(full_names), Officer.active == True).order_by(Officer.id)  # noqa: E712
    ))


def unit_staff(session: Session, unit_ids: list[int]) -> list[Officer]:
    """Active officers of these units who may be handed a task (leaders direct, they are not handed work)."""
    if not unit_ids:
        return []
    return list(session.exec(
        select(Officer).where(Officer.unit_id.in_(unit_ids), Officer.role != "leader", Officer.active == True)  # noqa: E712
        .order_by(Officer.unit_id, Officer.id)
    ))


def all_units(session: Session) -> list[Unit]:
    return list(session.exec(select(Unit).order_by(Unit.id)))


@dataclass(frozen=True)
class Report:
    """A progress report as people read it: who wrote it, for which unit, what, with what."""

    report: ProgressReport
    officer: str
    unit: str


@dataclass(frozen=True)
class TaskDetail:
    task: Task
    notice: Notice
    unit: Unit | None
    assignees: list[Officer]
    coordinators: list[Unit]
    heads: list[Officer]
    # (event, name of who did it or None)
    history: list[tuple[TaskEvent, str | None]]
    closed_by: str | None
    delegates: list[Officer]
    reports: list[Report]


def task_detail(session: Session, task: Task) -> TaskDetail:
    history = session.exec(
        select(TaskEvent, Officer.full_name).join(Officer, Officer.id == TaskEvent.actor_id, isouter=True)
        .where(TaskEvent.task_id == task.id).order_by(TaskEvent.at, TaskEvent.id)
    ).all()
    closer = session.get(Officer, task.closed_by_id) if task.closed_by_id else None
    return TaskDetail(
        task=task,
        notice=session.get(Notice, task.notice_id),
        unit=unit_of(session, task),
        assignees=assignees(session, task.id),
        coordinators=coordinators(session, task.id),
        heads=unit_heads(session, task.unit_id),
        history=[(event, name) for event, name in history],
        closed_by=closer.full_name if closer else None,
        delegates=delegates(session, task.id),
        reports=progress_reports(session, task.id),
    )


# --- progress reports --------------------------------------------------------------------------

def progress_reports(session: Session, task_id: int) -> list[Report]:
    """Every progress report of a task, newest first (for "chi tiết", the console and the report)."""
    rows = session.exec(
        select(ProgressReport, Officer.full_name, Unit.name)
        .join(Officer, Officer.id == ProgressReport.officer_id).join(Unit, Unit.id == ProgressReport.unit_id)
        .where(ProgressReport.task_id == task_id).order_by(ProgressReport.at.desc(), ProgressReport.id.desc())
    ).all()
    return [Report(report, officer, unit) for report, officer, unit in rows]


# Built once: every list of tasks asks it.
_LAST_PROGRESS = (select(ProgressReport.task_id, func.max(ProgressReport.at))
                  .where(ProgressReport.task_id.in_(bindparam("task_ids", expanding=True)))
                  .group_by(ProgressReport.task_id))


def last_progress(session: Session, task_ids: list[int]) -> dict[int, datetime]:
    """task id -> when its latest progress report came, for the tasks that have one."""
    if not task_ids:
        return {}
    return dict(session.exec(_LAST_PROGRESS, params={"task_ids": task_ids}).all())


def latest_report_by(session: Session, officer_id: int, since: datetime, task_id: int | None = None):
    """The officer's newest progress report made since `since` (on `task_id`, when given)."""
    query = select(ProgressReport).where(ProgressReport.officer_id == officer_id, ProgressReport.at >= since)
    if task_id is not None:
        query = query.where(ProgressReport.task_id == task_id)
    return session.exec(query.order_by(ProgressReport.at.desc(), ProgressReport.id.desc())).first()


def pending_extension(session: Session, task_id: int) -> ExtensionRequest | None:
    return session.exec(
        select(ExtensionRequest).where(ExtensionRequest.task_id == task_id, ExtensionRequest.status == "pending")
        .order_by(ExtensionRequest.id.desc())
    ).first()
