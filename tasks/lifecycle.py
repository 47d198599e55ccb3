"""The life of a task: created, published, handed to officers, reported on, closed, reopened,
given more time.

Every change is one function here. Each appends its row to the task's history (`TaskEvent`,
written nowhere else) through `_record`; a change that moves the task's reminders goes through
`_changed`, which also replans them (`tasks.schedule.plan_task`: a closed task has none; a task
handed to an officer reminds them). Who hears of a change is `tasks.telling`.

Changes two people may make at once are conditional UPDATEs (`WHERE status = 'open'`): one
wins, and the other gets False with the task as the winner left it (who closed it, when).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, event, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from storage.models import (
    TASK_CANCELLED,
    TASK_DONE,
    TASK_OPEN,
    ExtensionRequest,
    Officer,
    ProgressReport,
    Task,
    TaskAssignee,
    TaskCoordinator,
    TaskDelegate,
    TaskEvent,
)
from tasks.deadlines import due_moment
from tasks.queries import delegations
from tasks.schedule import plan_task
from tasks.text import fold

PENDING, APPROVED, REFUSED = "pending", "approved", "refused"


def _record(session: Session, task: Task, actor: Officer | None, action: str, note: str | None,
            data: dict | None, now: datetime) -> None:
    """One row of the task's history; `actor` is None for what the system did (import, publication)
    or the office did without naming an officer."""
    session.add(TaskEvent(task_id=task.id, at=now, actor_id=actor.id if actor else None, action=action,
                          note=note, data=data or {}))


def _changed(session: Session, task: Task, actor: Officer | None, action: str, note: str | None,
             data: dict | None, settings, now: datetime) -> None:
    """A change that moves the task's reminders: its history row, then the reminders replanned."""
    _record(session, task, actor, action, note, data, now)
    plan_task(session, task, settings, now)


def create(session: Session, task: Task, assignee_ids: list[int], coordinator_ids: list[int],
           now: datetime) -> int:
    """Store a new (unpublished) task with its people and coordinating units; returns its id."""
    session.add(task)
    session.flush()
    session.add_all(TaskAssignee(task_id=task.id, officer_id=officer_id) for officer_id in assignee_ids)
    session.add_all(TaskCoordinator(task_id=task.id, unit_id=unit_id) for unit_id in coordinator_ids)
    _record(session, task, None, "created", None, {"notice_id": task.notice_id}, now)
    return task.id


def publish(session: Session, task_id: int, settings, now: datetime) -> bool:
    """Make a task live and plan its reminders; False when it was live already (publishing
    twice, or from two processes at once, publishes and plans it once)."""
    claimed = session.execute(
        update(Task).where(Task.id == task_id, Task.published == False, Task.status != TASK_CANCELLED)  # noqa: E712
        .values(published=True)
    ).rowcount
    if not claimed:
        return False
    task = session.get(Task, task_id, populate_existing=True)
    _changed(session, task, None, "published", None, None, settings, now)
    return True


def close(session: Session, task: Task, actor: Officer, note: str | None, settings, now: datetime, *,
          via: dict | None = None) -> bool:
    """Close an open task; False when it was no longer open (`task.closed_by_id` then says who closed it).
    `via`: how it was done, kept in the history (the console: {"via": "console", "clerk": …})."""
    won = session.execute(
        update(Task).where(Task.id == task.id, Task.status == TASK_OPEN)
        .values(status=TASK_DONE, closed_by_id=actor.id, closed_at=now, close_note=note)
    ).rowcount
    session.refresh(task)
    if won:
        _changed(session, task, actor, "closed", note, via, settings, now)
    return bool(won)


def reopen(session: Session, task: Task, actor: Officer, note: str | None, settings, now: datetime, *,
           via: dict | None = None) -> bool:
    """Open a closed task again; False when it was open already."""
    won = session.execute(
        update(Task).where(Task.id == task.id, Task.status == TASK_DONE)
        .values(status=TASK_OPEN, closed_by_id=None, closed_at=None, close_note=None)
    ).rowcount
    session.refresh(task)
    if won:
        _changed(session, task, actor, "reopened", note, via, settings, now)
    return bool(won)


def ask_extension(session: Session, task: Task, actor: Officer, day: date, reason: str,
                  now: datetime) -> ExtensionRequest:
    """Keep a request for more time, pending until someone decides it (the deadline stays)."""
    request = ExtensionRequest(task_id=task.id, requested_by_id=actor.id, requested_date=day, reason=reason,
                               created_at=now)
    session.add(request)
    session.flush()
    _record(session, task, actor, "extension_requested", reason, _about(request), now)
    return request


def extend(session: Session, task: Task, request: ExtensionRequest, actor: Officer, note: str | None,
           settings, now: datetime, *, via: dict | None = None) -> bool:
    """Approve a pending request: the task is then due at the end of the office day granted.
    False when the request was decided already (by someone else at the same moment)."""
    if not _decide(session, request, actor, APPROVED, note, now):
        return False
    day = request.requested_date
    task.deadline_kind, task.deadline_date, task.deadline_time, task.deadline_start = "on", day, None, None
    task.due_at = due_moment("on", day, None, settings)
    session.add(task)
    session.flush()
    _changed(session, task, actor, "extension_approved", note, {**_about(request), **(via or {})}, settings, now)
    return True


def refuse_extension(session: Session, task: Task, request: ExtensionRequest, actor: Officer,
                     note: str | None, settings, now: datetime) -> bool:
    """Refuse a pending request (the deadline stays); False when it was decided already."""
    if not _decide(session, request, actor, REFUSED, note, now):
        return False
    _record(session, task, actor, "extension_refused", note, _about(request), now)
    return True


def _decide(session: Session, request: ExtensionRequest, actor: Officer, status: str, note: str | None,
            now: datetime) -> bool:
    """Settle a pending request, once: of two deciding at the same moment, one wins."""
    return bool(session.execute(
        update(ExtensionRequest).where(ExtensionRequest.id == request.id, ExtensionRequest.status == PENDING)
        .values(status=status, decided_by_id=actor.id, decided_at=now, decision_note=note)
    ).rowcount)


def _about(request: ExtensionRequest) -> dict:
    """What the history keeps of an extension request: the day asked and which request."""
    return {"to": request.requested_date.isoformat(), "request_id": request.id}


# --- handing a task to officers -------------------------------------------------------------------

def delegate(session: Session, task: Task, actor: Officer | None, officer: Officer, unit_id: int, settings,
             now: datetime, *, via: dict | None = None) -> bool:
    """Hand the task (`unit_id`'s part of it) to `officer`: from now on its reminders go to them.
    False when it is in their hands already (two handing it over at once: one does)."""
    table = TaskDelegate.__table__
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    handed = {"unit_id": unit_id, "delegated_by_id": actor.id if actor else None, "delegated_at": now,
              "revoked_at": None}
    won = session.execute(
        insert(table).values(task_id=task.id, officer_id=officer.id, **handed)
        .on_conflict_do_update(index_elements=["task_id", "officer_id"], set_=handed,
                               where=table.c.revoked_at.is_not(None))  # taken back before: handed again
        .returning(table.c.task_id)
    ).first() is not None
    if won:
        _changed(session, task, actor, "delegated", None, {**_whom(officer, unit_id), **(via or {})}, settings, now)
    return won


def revoke(session: Session, task: Task, actor: Officer | None, officers: list[Officer], settings,
           now: datetime, *, via: dict | None = None) -> list[Officer]:
    """Take the task back from these officers; returns those it was in the hands of (one taking
    it back at the same moment as another takes it back once)."""
    taken = []
    for officer in officers:
        won = session.execute(
            update(TaskDelegate).where(TaskDelegate.task_id == task.id, TaskDelegate.officer_id == officer.id,
                                       TaskDelegate.revoked_at.is_(None)).values(revoked_at=now)
        ).rowcount
        if won:
            _record(session, task, actor, "delegation_revoked", None, {**_whom(officer, None), **(via or {})}, now)
            taken.append(officer)
    if taken:
        plan_task(session, task, settings, now)
    return taken


def hand_over(session: Session, task: Task, actor: Officer | None, officer: Officer, settings, now: datetime, *,
              redo: bool = False, via: dict | None = None) -> tuple[list[Officer], bool]:
    """Hand the task to `officer` for their unit's part ("giao"); with `redo` ("giao lại") it is
    first taken back from the others holding that part. Returns those it was taken back from,
    and whether it was newly handed (the chat and the console both hand tasks over here)."""
    taken = []
    if redo:
        others = [o for d, o in delegations(session, task.id) if d.unit_id == officer.unit_id and o.id != officer.id]
        taken = revoke(session, task, actor, others, settings, now, via=via)
    return taken, delegate(session, task, actor, officer, officer.unit_id, settings, now, via=via)


def _whom(officer: Officer, unit_id: int | None) -> dict:
    """What the history keeps of a hand-over: to whom (their name as it was then), which part."""
    data = {"officer_id": officer.id, "name": officer.full_name}
    return {**data, "unit_id": unit_id} if unit_id is not None else data


# --- progress ---------------------------------------------------------------------------------------

def report_progress(session: Session, task: Task, actor: Officer, unit_id: int, text: str,
                    attachments: list[dict], now: datetime, *, part_done: bool = False) -> ProgressReport:
    """Keep a progress report (a coordinating unit's "xong phần" when `part_done`); the task
    stays as it is."""
    report = ProgressReport(task_id=task.id, officer_id=actor.id, unit_id=unit_id, at=now, text=text,
                            part_done=part_done, attachments=list(attachments))
    session.add(report)
    session.flush()
    data = {"report_id": report.id, "unit_id": unit_id, "attachments": len(attachments)}
    _record(session, task, actor, "part_done" if part_done else "progress", text or None, data, now)
    return report


def attach(session: Session, task: Task, report: ProgressReport, actor: Officer, attachment: dict,
           now: datetime) -> None:
    """Add a photo or file sent after the report (`attachment`: its type, Zalo URL, name)."""
    report.attachments = [*report.attachments, attachment]  # a new list: the JSON column sees the change
    session.add(report)
    session.flush()
    _record(session, task, actor, "progress_attachment", None, {"report_id": report.id, **attachment}, now)


# --- what the office does from the console ----------------------------------------------------------

# Columns a correction or the office may change, and those among them that move the due moment.
AMENDABLE = ("ref", "text", "unit_id", "unit_raw", "assignees_raw", "coordinating_raw", "deadline_raw",
             "deadline_kind", "deadline_date", "deadline_time", "deadline_start", "unread_deadlines")
DEADLINE_FIELDS = ("deadline_kind", "deadline_date", "deadline_time", "deadline_start")


def _plain(value):
    """A value as the history's JSON keeps it (dates as ISO text)."""
    return value.isoformat() if isinstance(value, date) else value


def amend(session: Session, task: Task, changes: dict, actor: Officer | None, note: str | None, settings,
          now: datetime, *, via: dict | None = None, was: dict | None = None) -> dict:
    """Change what a task says: any of `AMENDABLE`, and its people (`assignee_ids`) and
    coordinating units (`coordinator_ids`). The history keeps each change as [before, after]
    (`was`: the values before, for those the caller moved aside first); the reminders follow a
    published task. Returns the changes made ({} when nothing differed)."""
    changed = {}
    was = was or {}
    for name in AMENDABLE:
        before = was.get(name, getattr(task, name))
        if name in changes and before != changes[name]:
            changed[name] = [_plain(before), _plain(changes[name])]
            setattr(task, name, changes[name])
    if any(name in changed for name in DEADLINE_FIELDS):
        task.due_at = due_moment(task.deadline_kind, task.deadline_date, task.deadline_time, settings)
    for key, table, column in (("assignee_ids", TaskAssignee, TaskAssignee.officer_id),
                               ("coordinator_ids", TaskCoordinator, TaskCoordinator.unit_id)):
        if key in changes:
            before = sorted(session.exec(select(column).where(table.task_id == task.id)))
            after = sorted(dict.fromkeys(changes[key]))
            if before != after:
                changed[key] = [before, after]
                session.execute(delete(table).where(table.task_id == task.id))
                session.add_all(table(task_id=task.id, **{column.key: value}) for value in after)
    if changed:
        session.add(task)
        session.flush()
        _changed(session, task, actor, "amended", note, {"changed": changed, **(via or {})}, settings, now)
    return changed


def cancel(session: Session, task: Task, actor: Officer | None, note: str | None, settings, now: datetime, *,
           via: dict | None = None) -> bool:
    """Withdraw an open task (a draft row deleted, a task a corrected notice no longer has): it is
    unpublished, its pending reminders go, its history stays. It gives up its place in the notice
    (its ref becomes "1.4·12", the history keeps "1.4") so that a corrected notice may use the
    place again. False when it was not open: work already done stays done."""
    released = f"{task.ref[:15 - len(str(task.id))]}·{task.id}"
    won = session.execute(
        update(Task).where(Task.id == task.id, Task.status == TASK_OPEN)
        .values(status=TASK_CANCELLED, published=False, ref=released)
    ).rowcount
    ref = task.ref
    session.refresh(task)
    if won:
        _changed(session, task, actor, "cancelled", note, {"ref": ref, **(via or {})}, settings, now)
    return bool(won)


def add_note(session: Session, task: Task, actor: Officer | None, note: str, now: datetime, *,
             via: dict | None = None) -> None:
    """A note in the task's history (the office writing down what it was told)."""
    _record(session, task, actor, "noted", note, via, now)


def mark_checked(session: Session, task: Task, actor: Officer | None, now: datetime, *,
                 via: dict | None = None) -> None:
    """The office looked at a row the reader was unsure of and let it be published as it is."""
    _record(session, task, actor, "checked", None, via, now)


@event.listens_for(Task, "before_insert")
@event.listens_for(Task, "before_update")
def _keep_search_key(_mapper, _connection, task: Task) -> None:
    """The folded text the console searches follows the text on every write."""
    task.search_key = fold(task.text or "")
