"""What the conversation reads from storage. Only published tasks are ever shown to officers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, or_
from sqlmodel import Session, select

from storage.models import (
    TASK_OPEN,
    ExtensionRequest,
    Notice,
    Officer,
    Task,
    TaskAssignee,
    TaskCoordinator,
    TaskEvent,
    Unit,
)

# Task numbers are integer ids: a longer number cannot be one (and would overflow PostgreSQL).
MAX_TASK_NUMBER = 2**31 - 1


def _open():
    return (Task.published == True, Task.status == TASK_OPEN)  # noqa: E712


def urgency(task: Task) -> tuple:
    """Sort key, most urgent first: earliest due first (overdue ones lead), no deadline last."""
    return (task.due_at is None, task.due_at or datetime.min, task.id)


def by_urgency(tasks) -> list[Task]:
    return sorted({t.id: t for t in tasks}.values(), key=urgency)


def assigned_open(session: Session, officer_id: int) -> list[Task]:
    # Written as IN (…) so that every database starts from the officer's few rows.
    given = select(TaskAssignee.task_id).where(TaskAssignee.officer_id == officer_id)
    return list(session.exec(select(Task).where(Task.id.in_(given), *_open())))


def assigned_among(session: Session, officer_id: int, task_ids: list[int]) -> set[int]:
    """Which of these tasks are given to the officer."""
    if not task_ids:
        return set()
    return set(session.exec(
        select(TaskAssignee.task_id).where(TaskAssignee.officer_id == officer_id, TaskAssignee.task_id.in_(task_ids))
    ))


def unit_open(session: Session, unit_id: int) -> list[Task]:
    """Open tasks the unit is responsible for."""
    return list(session.exec(select(Task).where(Task.unit_id == unit_id, *_open())))


def coordinated_open(session: Session, unit_id: int) -> list[Task]:
    """Open tasks of other units in which this unit only coordinates ("phối hợp")."""
    return list(session.exec(
        select(Task).join(TaskCoordinator, TaskCoordinator.task_id == Task.id)
        .where(TaskCoordinator.unit_id == unit_id, *_open())
    ))


def my_open(session: Session, officer: Officer) -> list[Task]:
    """"Việc của tôi": tasks given to the officer, plus the unit's own for its head."""
    tasks = assigned_open(session, officer.id)
    if officer.role == "head":
        tasks += unit_open(session, officer.unit_id)
    return by_urgency(tasks)


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
    return list(session.exec(select(Task).where(Task.unit_id.in_([u.id for u in units]), *_open())))


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


def approvers(session: Session, unit: Unit | None) -> list[Officer]:
    """Who decides an extension: the leaders directing the unit, and the office admins (else
    the head of the office)."""
    active = (Officer.active == True,)  # noqa: E712
    leaders = directors(session, unit)
    office = list(session.exec(select(Officer).where(Officer.role == "admin", *active).order_by(Officer.id)))
    if not office:
        office = list(session.exec(
            select(Officer).join(Unit, Unit.id == Officer.unit_id)
            .where(Unit.kind == "office", Officer.role == "head", *active).order_by(Officer.id)
        ))
    return list({o.id: o for o in leaders + office}.values())


def all_units(session: Session) -> list[Unit]:
    return list(session.exec(select(Unit).order_by(Unit.id)))


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
    )


def pending_extension(session: Session, task_id: int) -> ExtensionRequest | None:
    return session.exec(
        select(ExtensionRequest).where(ExtensionRequest.task_id == task_id, ExtensionRequest.status == "pending")
        .order_by(ExtensionRequest.id.desc())
    ).first()
