"""A corrected file of a notice already stored: what changes, task by task, then applied.

A file is taken for a correction of a stored notice (not deleted) of the same meeting day (else
the same week and year, else the same number and symbol) when it does not read the same. It
waits as a `PendingImport` while the office looks at the differences. Applying it changes the
stored tasks through `tasks.lifecycle`: a changed task is amended (a changed deadline replans
its reminders), a new one is added (published at once if the notice is), a task the file no
longer has is cancelled with a note, and nothing already closed is reopened or cancelled. For a
draft this is "the corrected draft replaces the old one", row by row.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, select

from notices.importer import (
    ImportRefused,
    PlannedTask,
    directory_resolver,
    free_ref,
    plan_notice,
    record,
    store_task,
)
from notices.model import Deadline, NoticeHeader, ParsedNotice, ParsedTask
from storage.models import (
    TASK_CANCELLED,
    TASK_OPEN,
    Notice,
    Officer,
    PendingImport,
    Task,
    TaskAssignee,
    TaskCoordinator,
    Unit,
)
from tasks import lifecycle

PENDING_LIFETIME = timedelta(days=1)
HEADER_FIELDS = ("number", "symbol", "place", "issued_on", "meeting_on", "week", "year", "title", "chair", "signer")
_DATES = ("issued_on", "meeting_on")


# --- keeping a read notice until it is applied -------------------------------------------------------

def parsed_to_json(parsed: ParsedNotice) -> dict:
    data = parsed.to_dict()
    for task, written in zip(parsed.tasks, data["tasks"], strict=True):
        written["warnings"] = list(task.warnings)
        written["unread_deadlines"] = list(getattr(task, "unread_deadlines", None) or [])
    data["warnings"] = list(parsed.warnings)
    return data


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def parsed_from_json(data: dict) -> ParsedNotice:
    header = {k: (_day(v) if k in _DATES else v) for k, v in data["notice"].items()}
    tasks = []
    for t in data["tasks"]:
        d = t["deadline"]
        deadline = Deadline(d["raw"], d["kind"], _day(d["date"]), d["time"], _day(d["start"])) if d else None
        task = ParsedTask(t["ref"], t["unit"], list(t["assignees"]), list(t["coordinating"]), t["text"], deadline,
                          list(t.get("warnings", [])))
        task.unread_deadlines = list(t.get("unread_deadlines", []))
        tasks.append(task)
    return ParsedNotice(NoticeHeader(**header), tasks, list(data.get("warnings", [])))


def correction_target(session: Session, parsed: ParsedNotice) -> Notice | None:
    """The stored notice this read notice corrects, if any (the newest of them)."""
    header = parsed.notice
    live = select(Notice).where(Notice.discarded_at.is_(None)).order_by(Notice.id.desc())
    if header.meeting_on is not None:
        return session.exec(live.where(Notice.meeting_on == header.meeting_on)).first()
    if header.week and header.year:
        return session.exec(live.where(Notice.week == header.week, Notice.year == header.year)).first()
    if header.number and header.symbol:
        return session.exec(live.where(Notice.number == header.number, Notice.symbol == header.symbol)).first()
    return None


def keep_pending(session: Session, parsed: ParsedNotice, *, source_name: str, content_hash: str, target: Notice,
                 now: datetime) -> PendingImport:
    session.execute(delete(PendingImport).where(PendingImport.created_at < now - PENDING_LIFETIME))
    pending = PendingImport(created_at=now, source_name=source_name[:255], content_hash=content_hash,
                            target_notice_id=target.id, parsed=parsed_to_json(parsed))
    session.add(pending)
    session.flush()
    return pending


# --- the differences ------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class TaskChange:
    kind: str  # changed, added, removed, same
    ref: str
    unit: str
    text: str
    task_id: int | None = None
    closed: bool = False
    fields: tuple[FieldChange, ...] = ()
    plan: PlannedTask | None = field(default=None, repr=False)


@dataclass
class Correction:
    pending: PendingImport
    notice: Notice
    changes: list[TaskChange]

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)


def _deadline_words(raw: str | None, kind: str | None, day: date | None, clock: str | None) -> str:
    if not kind:
        return "không ghi hạn"
    when = f"{day:%d/%m/%Y}" if day else ""
    return " ".join(p for p in (raw or "", f"({when}{' ' + clock if clock else ''})" if when else "") if p)


def _likeness(task: Task, plan: PlannedTask) -> float:
    """How alike a stored task and a planned one are: their texts, a little more for the same ref and unit."""
    matcher = difflib.SequenceMatcher(None, task.text, plan.text, autojunk=False)
    if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
        return 0.0
    same_unit = task.unit_id == (plan.unit.id if plan.unit else None)
    return matcher.ratio() + 0.1 * (task.ref == plan.ref) + 0.1 * same_unit


def _pair(current: list[Task], planned: list[PlannedTask]) -> tuple[list[tuple[Task, PlannedTask]], list[PlannedTask],
                                                                   list[Task]]:
    """Stored tasks matched to planned ones: the same text and unit first, then the most alike
    (a task renumbered because one before it went is still the same task)."""
    left, waiting, pairs = list(current), [], []
    for plan in planned:
        unit_id = plan.unit.id if plan.unit else None
        same = next((t for t in left if t.text == plan.text and t.unit_id == unit_id), None)
        if same is None:
            waiting.append(plan)
        else:
            left.remove(same)
            pairs.append((same, plan))
    scored = sorted(((_likeness(t, p), i, j) for i, p in enumerate(waiting) for j, t in enumerate(left)), reverse=True)
    taken_plans, taken_tasks = set(), set()
    for score, i, j in scored:
        if score >= 0.6 and i not in taken_plans and j not in taken_tasks:
            taken_plans.add(i)
            taken_tasks.add(j)
            pairs.append((left[j], waiting[i]))
    added = [p for i, p in enumerate(waiting) if i not in taken_plans]
    removed = [t for j, t in enumerate(left) if j not in taken_tasks]
    return pairs, added, removed


def _names(session: Session, model, ids) -> str:
    column = Officer.full_name if model is Officer else Unit.name
    found = dict(session.exec(select(model.id, column).where(model.id.in_(list(ids)))).all())
    return ", ".join(found.get(i, "?") for i in sorted(ids)) or "—"


def _field_changes(session: Session, task: Task, plan: PlannedTask, units: dict[int, str]) -> list[FieldChange]:
    found = []
    if task.text != plan.text:
        found.append(FieldChange("Nội dung", task.text, plan.text))
    new_unit = plan.unit.id if plan.unit else None
    if task.unit_id != new_unit:
        found.append(FieldChange("Đơn vị chủ trì", units.get(task.unit_id, task.unit_raw or "—"),
                                 units.get(new_unit, plan.unit_raw or "—")))
    d = plan.deadline
    before = (task.deadline_raw, task.deadline_kind, task.deadline_date, task.deadline_time, task.deadline_start)
    after = (d.raw[:255], d.kind, d.date, d.time, d.start) if d else (None, None, None, None, None)
    if before != after:
        found.append(FieldChange("Thời hạn", _deadline_words(*before[:4]), _deadline_words(*after[:4])))
    people = set(session.exec(select(TaskAssignee.officer_id).where(TaskAssignee.task_id == task.id)))
    if people != {o.id for o in plan.assignees}:
        found.append(FieldChange("Người được giao", _names(session, Officer, people),
                                 _names(session, Officer, {o.id for o in plan.assignees})))
    partners = set(session.exec(select(TaskCoordinator.unit_id).where(TaskCoordinator.task_id == task.id)))
    if partners != {u.id for u in plan.coordinators}:
        found.append(FieldChange("Đơn vị phối hợp", _names(session, Unit, partners),
                                 _names(session, Unit, {u.id for u in plan.coordinators})))
    if list(task.unread_deadlines) != list(plan.unread_deadlines):
        found.append(FieldChange("Cụm từ giống thời hạn chưa đọc được", "; ".join(task.unread_deadlines) or "—",
                                 "; ".join(plan.unread_deadlines) or "—"))
    return found


def correction(session: Session, pending_id: int, settings) -> Correction:
    """What applying this pending file would change, task by task."""
    pending = session.get(PendingImport, pending_id)
    notice = session.get(Notice, pending.target_notice_id) if pending else None
    if pending is None or notice is None or notice.discarded_at is not None:
        raise ImportRefused("Bản sửa này không còn (đã áp dụng, đã bỏ, hoặc quá một ngày).")
    planned, _ = plan_notice(parsed_from_json(pending.parsed), directory_resolver(session), settings)
    current = list(session.exec(select(Task).where(Task.notice_id == notice.id, Task.status != TASK_CANCELLED)
                                .order_by(Task.id)))
    pairs, added, removed = _pair(current, planned)
    units = {u.id: u.name for u in session.exec(select(Unit))}
    changes = []
    for task, plan in pairs:
        fields = _field_changes(session, task, plan, units)
        changes.append(TaskChange("changed" if fields else "same", plan.ref, units.get(task.unit_id, task.unit_raw),
                                  plan.text, task.id, task.status != TASK_OPEN, tuple(fields), plan))
    changes += [TaskChange("added", p.ref, p.unit.name if p.unit else p.unit_raw, p.text, plan=p) for p in added]
    changes += [TaskChange("removed", t.ref, units.get(t.unit_id, t.unit_raw), t.text, t.id, t.status != TASK_OPEN)
                for t in removed]
    return Correction(pending, notice, changes)


# --- applying it ------------------------------------------------------------------------------------

def _amendment(plan: PlannedTask) -> dict:
    return {"ref": plan.ref, "text": plan.text, "unit_id": plan.unit.id if plan.unit else None,
            "unit_raw": plan.unit_raw[:255], "assignees_raw": list(plan.assignees_raw),
            "coordinating_raw": list(plan.coordinating_raw), "unread_deadlines": list(plan.unread_deadlines),
            "deadline_raw": None, "deadline_kind": None, "deadline_date": None, "deadline_time": None,
            "deadline_start": None, **plan.deadline_columns(),
            "assignee_ids": [o.id for o in plan.assignees], "coordinator_ids": [u.id for u in plan.coordinators]}


def apply_correction(session: Session, pending_id: int, actor: Officer | None, via: dict, settings,
                     now: datetime) -> Correction:
    """Apply a pending correction to its notice's tasks (see the module's docstring)."""
    found = correction(session, pending_id, settings)
    notice, pending = found.notice, found.pending
    if session.exec(select(Notice.id).where(Notice.content_hash == pending.content_hash)).first() is not None:
        raise ImportRefused("Tệp này đã được nhập hoặc áp dụng rồi: không có gì thay đổi.")
    note = f"Theo bản sửa của thông báo (tệp {pending.source_name})"
    for change in found.changes:
        task = session.get(Task, change.task_id) if change.kind == "removed" else None
        if task is not None and change.closed:
            lifecycle.add_note(session, task, actor, f"{note}: việc này không còn trong thông báo; việc đã xong nên "
                                                     "giữ nguyên", now, via=via)
        elif task is not None:
            lifecycle.cancel(session, task, actor, f"{note}: việc này không còn trong thông báo", settings, now, via=via)
    _amend_all(session, notice, [c for c in found.changes if c.kind == "changed"], actor, note, via, settings, now)
    for change in found.changes:
        if change.kind == "added":
            plan = change.plan
            ref = free_ref(session, notice.id, plan.ref, plan.unit.id if plan.unit else None)
            task_id = store_task(session, notice.id, replace(plan, ref=ref), now)
            if notice.published_at is not None:
                lifecycle.publish(session, task_id, settings, now)
    _update_notice(session, notice, pending, settings, now, actor, via, found)
    session.delete(pending)
    session.flush()
    return found


def _amend_all(session: Session, notice: Notice, changes: list[TaskChange], actor: Officer | None, note: str,
               via: dict, settings, now: datetime) -> None:
    """Amend the changed tasks. Those that move to another place in the notice (its ref, or its
    unit) step aside first, so that two tasks may swap places; the history keeps where they were."""
    tasks = {c.task_id: session.get(Task, c.task_id) for c in changes}
    was = {}
    for change in changes:
        task, plan = tasks[change.task_id], change.plan
        if (task.ref, task.unit_id) != (plan.ref, plan.unit.id if plan.unit else None):
            was[task.id] = {"ref": task.ref, "unit_id": task.unit_id}
            task.ref = f"~{task.id}"[:16]
            session.add(task)
    session.flush()
    for change in changes:
        task, plan = tasks[change.task_id], change.plan
        amendment = _amendment(plan)
        if task.id in was:
            amendment["ref"] = free_ref(session, notice.id, plan.ref, amendment["unit_id"])
        lifecycle.amend(session, task, amendment, actor, note, settings, now, via=via, was=was.get(task.id))


def _update_notice(session: Session, notice: Notice, pending: PendingImport, settings, now: datetime,
                   actor: Officer | None, via: dict, found: Correction) -> None:
    parsed = parsed_from_json(pending.parsed)
    _, warnings = plan_notice(parsed, directory_resolver(session), settings)
    record(session, notice, "corrected", now, actor.id if actor else None, {
        "source_name": pending.source_name, "replaced_hash": notice.content_hash, "content_hash": pending.content_hash,
        **{kind: found.count(kind) for kind in ("changed", "added", "removed")}, **via})
    for name in HEADER_FIELDS:
        setattr(notice, name, getattr(parsed.notice, name) if name != "title" else parsed.notice.title or "")
    notice.source_name, notice.content_hash, notice.warnings = pending.source_name, pending.content_hash, warnings
    session.add(notice)
