"""Storing a read notice: its tasks resolved against the directory, unpublished until published.

Planning (which tasks, which units and people, when due, what is unsure) is pure; storing it is
one transaction, so a notice is stored whole or not at all. A notice is known by the hash of
what was read from it, so re-importing the same file, or a re-saved copy that reads the same,
finds the notice already there and changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from config.settings import Settings
from notices import read_notice
from notices.doers import names_own_office
from notices.model import Deadline
from notices.resolve import OfficerRef, PersonMatch, Resolver, UnitMatch, UnitRef
from storage.models import Notice, NoticeEvent, Officer, Task, Unit, utcnow
from tasks import lifecycle
from tasks.deadlines import due_moment


class ImportRefused(ValueError):
    """A notice that cannot be imported; nothing was stored."""


@dataclass(frozen=True)
class PlannedTask:
    """One task to store: a task written for a group becomes one per unit of the group."""

    ref: str
    text: str
    unit_raw: str
    unit: UnitRef | None
    assignees_raw: tuple[str, ...]
    assignees: tuple[OfficerRef, ...]
    assignees_unresolved: tuple[str, ...]
    coordinating_raw: tuple[str, ...]
    coordinators: tuple[UnitRef, ...]
    deadline: Deadline | None
    due_at: datetime | None
    # Sentences holding deadline-like phrases the reader did not understand.
    unread_deadlines: tuple[str, ...] = ()

    def deadline_columns(self) -> dict:
        """The Task columns the deadline fills (none when there is no deadline)."""
        d = self.deadline
        if d is None:
            return {}
        return {"deadline_raw": d.raw[:255], "deadline_kind": d.kind, "deadline_date": d.date,
                "deadline_time": d.time, "deadline_start": d.start}


@dataclass
class ImportReport:
    notice_id: int
    created: bool
    tasks: list[PlannedTask]
    warnings: list[str]
    task_ids: list[int] = field(default_factory=list)
    published_at: datetime | None = None
    # Tasks made live by this run's publish, if any.
    published: int = 0


def directory_resolver(session: Session) -> Resolver:
    """A resolver over the directory as it stands (active units and officers only)."""
    units = [
        UnitRef(u.id, u.code, u.name, u.kind, tuple(u.aliases))
        for u in session.exec(select(Unit).where(Unit.active == True).order_by(Unit.id))  # noqa: E712
    ]
    officers = [
        OfficerRef(o.id, o.full_name, o.unit_id)
        for o in session.exec(select(Officer).where(Officer.active == True).order_by(Officer.id))  # noqa: E712
    ]
    return Resolver(units, officers)


def notice_hash(parsed) -> str:
    """What identifies a notice: the sha256 of what was read from it (docs/notices.md form)."""
    canonical = json.dumps(parsed.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _person_warning(ref: str, match: PersonMatch) -> str:
    if match.candidates:
        names = ", ".join(o.full_name for o in match.candidates)
        return f"{ref}: “{match.written}” có thể là nhiều người ({names}), chưa giao cho ai"
    return f"{ref}: không tìm thấy “{match.written}” trong danh bạ"


def _unit_warnings(ref: str, match: UnitMatch, role: str) -> list[str]:
    warnings = [f"{ref}: không tìm thấy {role} “{raw}” trong danh bạ" for raw in match.unresolved]
    if not match.units and not match.unresolved:
        warnings.append(f"{ref}: “{match.written}” không ứng với đơn vị nào trong danh bạ")
    return warnings


def _to_leaders(match: UnitMatch, resolver: Resolver) -> UnitMatch:
    """A task for the whole Sở: its leadership stands for it (see ParsedTask.whole_office)."""
    leaders = tuple(u for u in resolver.units if u.kind == "leadership")
    others = tuple(raw for raw in match.unresolved if not names_own_office(raw))
    return UnitMatch(match.written, tuple(dict.fromkeys(leaders + match.units)), others, match.groups)


def plan_notice(parsed, resolver: Resolver, settings: Settings) -> tuple[list[PlannedTask], list[str]]:
    """The tasks to store and what the office should check, from a read notice."""
    warnings = list(parsed.warnings)
    planned: list[PlannedTask] = []
    for task in parsed.tasks:
        warnings.extend(f"{task.ref}: {w}" for w in task.warnings)
        unread = tuple(task.unread_deadlines)  # the reader warns of each; the review shows the sentences
        unit_match = resolver.units_in(task.unit or "")
        if task.whole_office:  # the reader's fact: given to the Sở itself; its leaders say who does it
            unit_match = _to_leaders(unit_match, resolver)
            warnings.append(f"{task.ref}: giao cho cả Sở (“{task.unit}”): Ban Giám đốc cần phân công đơn vị thực hiện")
        if task.unit:
            warnings.extend(_unit_warnings(task.ref, unit_match, "đơn vị"))
        else:
            warnings.append(f"{task.ref}: không rõ đơn vị chủ trì")
        people = [resolver.person(name) for name in task.assignees]
        warnings.extend(_person_warning(task.ref, p) for p in people if p.officer is None)
        coordinating = resolver.units_in(task.coordinating)
        if task.coordinating:
            warnings.extend(_unit_warnings(task.ref, coordinating, "đơn vị phối hợp"))
        deadline = task.deadline
        due = due_moment(deadline.kind, deadline.date, deadline.time, settings) if deadline is not None else None
        for unit in unit_match.units or (None,):
            planned.append(PlannedTask(
                ref=task.ref,
                text=task.text,
                unit_raw=task.unit or "",
                unit=unit,
                assignees_raw=tuple(task.assignees),
                assignees=tuple(dict.fromkeys(p.officer for p in people if p.officer)),
                assignees_unresolved=tuple(p.written for p in people if p.officer is None),
                coordinating_raw=tuple(task.coordinating),
                coordinators=tuple(u for u in coordinating.units if u != unit),
                deadline=deadline,
                due_at=due,
                unread_deadlines=unread,
            ))
    return planned, warnings


def import_notice(
    session: Session,
    parsed,
    *,
    source_name: str,
    settings: Settings,
    content_hash: str | None = None,
    actor_id: int | None = None,
    via: dict | None = None,
) -> ImportReport:
    """Store a read notice and its tasks, unpublished; a notice already stored is left as it is.
    `actor_id` and `via` say who imported it, for the notice's history."""
    content_hash = content_hash or notice_hash(parsed)
    resolver = directory_resolver(session)
    if not resolver.units:
        raise ImportRefused("danh bạ chưa có đơn vị nào: hãy chạy `nhacviec directory load` trước")
    if not parsed.tasks:
        raise ImportRefused(f"{source_name}: không tìm thấy nhiệm vụ nào trong thông báo")
    planned, warnings = plan_notice(parsed, resolver, settings)
    existing = session.exec(select(Notice).where(Notice.content_hash == content_hash)).first()
    if existing is not None:
        task_ids = session.exec(select(Task.id).where(Task.notice_id == existing.id).order_by(Task.id)).all()
        return ImportReport(existing.id, False, planned, warnings, list(task_ids), existing.published_at)

    header = parsed.notice
    if header.meeting_on is not None:
        same_meeting = session.exec(select(Notice.id).where(Notice.meeting_on == header.meeting_on)).all()
        warnings.extend(
            f"đã có thông báo số {other} của cuộc họp ngày {header.meeting_on:%d/%m/%Y}: "
            "nếu đây là bản sửa, việc sẽ bị trùng" for other in same_meeting
        )
    now = utcnow()
    notice = Notice(
        content_hash=content_hash,
        source_name=source_name[:255],
        number=header.number,
        symbol=header.symbol,
        place=header.place,
        issued_on=header.issued_on,
        meeting_on=header.meeting_on,
        week=header.week,
        year=header.year,
        title=header.title or "",
        chair=header.chair,
        signer=header.signer,
        imported_at=now,
        warnings=warnings,
    )
    session.add(notice)
    session.flush()
    record(session, notice, "imported", now, actor_id, {"source_name": notice.source_name, **(via or {})})
    task_ids = [store_task(session, notice.id, plan, now) for plan in planned]
    session.flush()
    return ImportReport(notice.id, True, planned, warnings, task_ids)


def record(session: Session, notice: Notice, action: str, now: datetime, actor_id: int | None = None,
           data: dict | None = None) -> None:
    """One row of the notice's history (`NoticeEvent`, written only here)."""
    session.add(NoticeEvent(notice_id=notice.id, at=now, actor_id=actor_id, action=action, data=data or {}))


def store_task(session: Session, notice_id: int, plan: PlannedTask, now: datetime) -> int:
    """One planned task as a Task row with its assignees and coordinators (see `lifecycle.create`)."""
    task = Task(
        notice_id=notice_id,
        ref=plan.ref,
        unit_id=plan.unit.id if plan.unit else None,
        unit_raw=plan.unit_raw[:255],
        assignees_raw=list(plan.assignees_raw),
        coordinating_raw=list(plan.coordinating_raw),
        text=plan.text,
        due_at=plan.due_at,
        unread_deadlines=list(plan.unread_deadlines),
        **plan.deadline_columns(),
    )
    return lifecycle.create(session, task, [o.id for o in plan.assignees], [u.id for u in plan.coordinators], now)


def free_ref(session: Session, notice_id: int, ref: str, unit_id: int | None) -> str:
    """`ref` when this unit has no task of that place in the notice, else '1.2b', '1.2c', …"""
    taken = set(session.exec(select(Task.ref).where(Task.notice_id == notice_id, Task.unit_id == unit_id)))
    if ref not in taken:
        return ref
    base = ref.rstrip("abcdefghijklmnopqrstuvwxyz") or ref
    return next(f"{base[:15]}{letter}" for letter in "bcdefghijklmnopqrstuvwxyz" if f"{base[:15]}{letter}" not in taken)


def import_file(session: Session, path: Path | str, *, settings: Settings) -> ImportReport:
    """Read a notice file and import it (see `import_notice`)."""
    return import_notice(session, read_notice(path), source_name=Path(path).name, settings=settings)


def publish_notice(session: Session, notice_id: int, settings: Settings, now: datetime, *,
                   actor_id: int | None = None, via: dict | None = None) -> int:
    """Make a notice's tasks live and plan their reminders; returns how many were published now.

    Publishing twice, or from two processes at once, publishes and plans each task once
    (see `lifecycle.publish`). A deleted draft is not published.
    """
    notice = session.get(Notice, notice_id)
    if notice is None or notice.discarded_at is not None:
        raise ImportRefused(f"không có thông báo số {notice_id}")
    if notice.published_at is None:
        notice.published_at = now
        session.add(notice)
        session.flush()
        record(session, notice, "published", now, actor_id, via)
    task_ids = session.exec(
        select(Task.id).where(Task.notice_id == notice_id, Task.published == False).order_by(Task.id)  # noqa: E712
    ).all()
    published = sum(lifecycle.publish(session, task_id, settings, now) for task_id in task_ids)
    session.flush()
    return published
