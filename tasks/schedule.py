"""Turn the planner's answer into `Reminder` rows: the schedule the sweep works from.

`plan_task` is called by `tasks.lifecycle` on every change that moves a task's reminders
(publication, closing, reopening, an extension, handing it to officers or taking it back), and by the sweep after it sends a reminder of
a series that continues (overdue, recurring). It
is idempotent: rows already handled stay as they are, pending rows that are no longer planned
are removed, and new rows are only added for instants not yet past.

At publication the whole schedule is laid out from the day the task was given, past instants
included: the sweep never sends those that fell due before publication (state `early`), but
`nhacviec tick --at` replaying the notice's own weeks finds every reminder where the policy
puts it, however late the notice was imported.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlmodel import Session, select

from storage.models import TASK_OPEN, Notice, Officer, Reminder, Task, TaskAssignee, TaskDelegate
from tasks import queries
from tasks.calendar import Calendar
from tasks.deadlines import parse_hhmm
from tasks.planner import Policy, TaskFacts, plan

PENDING = "pending"


def _active(session: Session, *conditions) -> tuple[int, ...]:
    return tuple(session.exec(select(Officer.id).where(Officer.active, *conditions).order_by(Officer.id)).all())


def task_facts(session: Session, task: Task, zone) -> TaskFacts:
    """The planner's view of a task: its deadline and who answers for it."""
    notice = session.get(Notice, task.notice_id)
    given_on = notice.meeting_on or (notice.published_at or notice.imported_at).astimezone(zone).date()
    named = _active(session, Officer.id.in_(select(TaskAssignee.officer_id).where(TaskAssignee.task_id == task.id)))
    handed = _active(session, Officer.id.in_(select(TaskDelegate.officer_id).where(
        TaskDelegate.task_id == task.id, TaskDelegate.revoked_at.is_(None))))
    heads = tuple(o.id for o in queries.unit_heads(session, task.unit_id))
    directors = tuple(o.id for o in queries.directors(session, queries.unit_of(session, task)))
    return TaskFacts(
        task_id=task.id,
        kind=task.deadline_kind,
        written=task.deadline_date,
        at=parse_hhmm(task.deadline_time),
        start=task.deadline_start,
        raw=task.deadline_raw,
        given_on=given_on,
        responsible=tuple(dict.fromkeys(named + handed)) or heads,
        unit_heads=heads,
        directors=directors,
        delegates=handed,
    )


def _utc(dt: datetime) -> datetime:
    return dt.astimezone(UTC)


def plan_task(session: Session, task: Task, settings, now: datetime) -> int:
    """(Re)plan the reminders of `task` as of `now`; returns how many rows were added."""
    existing = session.exec(select(Reminder).where(Reminder.task_id == task.id)).all()
    planned, since = [], now
    if task.published and task.status == TASK_OPEN:
        facts = task_facts(session, task, settings.zone)
        calendar = Calendar.from_settings(settings)
        published_at = session.get(Notice, task.notice_id).published_at
        if not existing and (published_at is None or now <= published_at):  # its publication
            since = min(now, calendar.at(facts.given_on, time.min))
        planned = plan(facts, calendar, Policy.from_settings(settings), now)
    wanted = {(p.officer_id, _utc(p.at)): p for p in planned}
    have = {(r.officer_id, _utc(r.planned_at)) for r in existing}
    for row in existing:
        if row.state == PENDING and (row.officer_id, _utc(row.planned_at)) not in wanted:
            session.delete(row)
    added = 0
    for key, p in wanted.items():
        if key not in have and p.at >= since:
            session.add(Reminder(task_id=task.id, officer_id=p.officer_id, planned_at=p.at, kind=p.kind))
            added += 1
    session.flush()
    return added
