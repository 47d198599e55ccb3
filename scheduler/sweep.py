"""The sweep: everything that is due at one instant, done once.

`run_due_work(runtime, at)` is what the scheduler runs every minute and what `nhacviec tick
--at` runs once. It queues the reminders that fell due in the catch-up window, the weekly
summaries when their moment has come, then hands the outbox to the sender. Every message has
an idempotency key, so running it again, after a restart or from a second process, sends
nothing twice; a database lease makes a second process stand aside instead of doing the
same work in parallel. Nothing is queued outside office hours.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, select

from scheduler.messages import escalation_digest, task_buttons
from scheduler.summaries import summary_messages
from storage.leases import acquire_lease, release_lease
from storage.models import TASK_OPEN, Notice, Officer, OutboxMessage, Reminder, Task, TaskAssignee, TaskDelegate, Unit
from tasks.calendar import Calendar
from tasks.planner import ESCALATION, OVERDUE, PASSED_DROP, PASSED_OVERDUE, SERIES_KINDS, passed_purpose
from tasks.schedule import plan_task
from tasks.wording import escalation_line, notice_label, reminder_text
from zalo.channels import recipient_key
from zalo.messages import Outgoing
from zalo.outbox import enqueue_many

LEASE_NAME = "scheduler"
LEASE_TTL = timedelta(minutes=5)


@dataclass
class SweepResult:
    queued: int = 0  # reminders handed to the outbox (a row state, like the next four)
    skipped: int = 0  # reminders of closed tasks
    missed: int = 0  # reminders older than the catch-up window (they go into the next summary)
    early: int = 0  # reminders whose moment came before their notice was published (never sent)
    unlinked: int = 0  # reminders for officers without a Zalo account
    stale: int = 0  # reminders whose moment had passed their purpose (a meeting already begun): dropped
    late: int = 0  # deadline reminders sent after the due moment: told as the overdue notice
    summaries: int = 0  # summary messages queued (texts and charts)
    stood_aside: bool = False  # another process held the lease
    outbox_ids: list[int] = field(default_factory=list, repr=False)  # the messages queued here
    # What became of those messages once the sender was done (outbox statuses).
    delivered: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        if self.stood_aside:
            return "another scheduler is working: nothing done here"
        early = f", {self.early} due before their notice was published" if self.early else ""
        passed = f", {self.stale} dropped (what they announced had begun)" if self.stale else ""
        passed += f", {self.late} told as overdue (their day was over)" if self.late else ""
        line = (f"{self.queued} reminder(s) queued, {self.skipped} skipped (closed), {self.missed} missed{early}"
                f"{passed}, {self.unlinked} to officers without Zalo; {self.summaries} summary message(s)")
        if not self.outbox_ids:
            return line
        outcome = [f"{self.delivered.get('sent', 0)} sent to Zalo"]
        if self.delivered.get("held"):
            outcome.append(f"{self.delivered['held']} held until the officer writes (outside Zalo's 7-day window)")
        others = sum(n for status, n in self.delivered.items() if status not in ("sent", "held"))
        if others:
            outcome.append(f"{others} not sent yet or failed (see the console)")
        return f"{line}; of these {len(self.outbox_ids)} message(s): {', '.join(outcome)}"


# --- the lease -----------------------------------------------------------------------------------

# --- reminders -----------------------------------------------------------------------------------

def reminder_key(task_id: int, officer_id: int, planned_at: datetime) -> str:
    return f"reminder:{task_id}:{officer_id}:{planned_at.astimezone(UTC):%Y%m%dT%H%MZ}"


class _Scene:
    """The tasks, people, units and notices the due reminders speak of, read in a few queries."""

    def __init__(self, session: Session, task_ids: set[int], officer_ids: set[int]):
        self.tasks = {t.id: t for t in session.exec(select(Task).where(Task.id.in_(task_ids)))}
        # Who answers for each task in person: named in the notice, or handed it since.
        self.named: dict[int, list[tuple[int, str]]] = defaultdict(list)
        named = (select(TaskAssignee.task_id, Officer.id, Officer.full_name)
                 .join(Officer, Officer.id == TaskAssignee.officer_id).where(TaskAssignee.task_id.in_(task_ids)))
        handed = (select(TaskDelegate.task_id, Officer.id, Officer.full_name)
                  .join(Officer, Officer.id == TaskDelegate.officer_id)
                  .where(TaskDelegate.task_id.in_(task_ids), TaskDelegate.revoked_at.is_(None)))
        for query in (named, handed):
            for task_id, officer_id, name in session.exec(query.order_by(Officer.id)):
                if (officer_id, name) not in self.named[task_id]:
                    self.named[task_id].append((officer_id, name))
        self.officers = {o.id: o for o in session.exec(select(Officer).where(Officer.id.in_(officer_ids)))}
        unit_ids = {t.unit_id for t in self.tasks.values() if t.unit_id}
        self.units = {u.id: u for u in session.exec(select(Unit).where(Unit.id.in_(unit_ids)))}
        notices = session.exec(select(Notice).where(Notice.id.in_({t.notice_id for t in self.tasks.values()})))
        self.labels, self.published = {}, {}
        for n in notices:
            self.labels[n.id] = notice_label(n.week, n.symbol, n.meeting_on)
            self.published[n.id] = n.published_at

    def owner(self, task: Task) -> str:
        """Who answers for the task, as the head or leader reading about it calls them."""
        unit = self.units.get(task.unit_id)
        return ", ".join(name for _, name in self.named[task.id]) or (unit.name if unit else task.unit_raw)

    def responsible(self, task: Task, officer: Officer) -> bool:
        named = self.named[task.id]
        return any(officer.id == who for who, _ in named) if named else officer.unit_id == task.unit_id

    def outgoing(self, kind: str, task: Task, officer: Officer, settings, at: datetime) -> Outgoing:
        own = self.responsible(task, officer)
        owner = "" if own and kind == OVERDUE else self.owner(task)
        text = reminder_text(kind, task, self.labels[task.notice_id], at, owner=owner, zone=settings.zone)
        buttons = task_buttons(task.id)[1:2] if kind == ESCALATION else task_buttons(task.id, can_extend=own)
        return Outgoing(recipient_key(officer, settings), text, buttons, task_id=task.id, officer_id=officer.id,
                        kind="reminder")


def fold_escalations(outgoing: dict, rows: dict, scene: "_Scene", at: datetime, settings) -> None:
    """A leader told of several overdue tasks at one moment gets one message listing them: the
    reminders of the group share one outbox message (keyed by leader and moment)."""
    groups: dict[tuple[int, datetime], list[int]] = {}
    for reminder_id in outgoing:
        row = rows[reminder_id]
        if row.kind == ESCALATION:
            groups.setdefault((row.officer_id, row.planned_at), []).append(reminder_id)
    for (officer_id, planned_at), reminder_ids in groups.items():
        if len(reminder_ids) < 2:
            continue
        officer = scene.officers[officer_id]
        tasks = [scene.tasks[rows[r].task_id] for r in reminder_ids]
        lines = [escalation_line(t, scene.labels[t.notice_id], at, owner=scene.owner(t), zone=settings.zone)
                 for t in tasks]
        text, buttons = escalation_digest(lines, [t.id for t in tasks])
        key = f"escalation:{officer_id}:{planned_at.astimezone(UTC):%Y%m%dT%H%MZ}"
        message = Outgoing(recipient_key(officer, settings), text, buttons, officer_id=officer_id, kind="reminder")
        for reminder_id in reminder_ids:
            outgoing[reminder_id] = (key, message)


def queue_due_reminders(session: Session, settings, at: datetime, result: SweepResult) -> None:
    """Queue each pending reminder due by `at`; settle those that must not be sent."""
    oldest = at - timedelta(hours=settings.catch_up_hours)
    due = session.exec(
        select(Reminder.id, Reminder.task_id, Reminder.officer_id, Reminder.planned_at, Reminder.kind)
        .where(Reminder.state == "pending", Reminder.planned_at <= at)
        .order_by(Reminder.planned_at, Reminder.id)
    ).all()
    if not due:
        return
    scene = _Scene(session, {r.task_id for r in due}, {r.officer_id for r in due})
    settled, outgoing, continued = [], {}, set()
    for row in due:
        task, officer = scene.tasks[row.task_id], scene.officers.get(row.officer_id)
        published_at = scene.published[task.notice_id]
        if task.status != TASK_OPEN or not task.published:
            state = "skipped"
        elif published_at is not None and row.planned_at < published_at <= at:
            state = "early"
        elif row.planned_at < oldest:
            state = "missed"
        elif not (officer and officer.active and recipient_key(officer, settings)):
            state = "unlinked"
        elif passed_purpose(row.kind, task, at) == PASSED_DROP:
            state = "stale"
        else:
            state = "queued"
            kind = OVERDUE if passed_purpose(row.kind, task, at) == PASSED_OVERDUE else row.kind
            result.late += kind != row.kind
            key = reminder_key(task.id, officer.id, row.planned_at)
            outgoing[row.id] = (key, scene.outgoing(kind, task, officer, settings, at))
        setattr(result, state, getattr(result, state) + 1)
        settled.append({"id": row.id, "state": state})
        if row.kind in SERIES_KINDS and state != "skipped":
            continued.add(task.id)
    fold_escalations(outgoing, {row.id: row for row in due}, scene, at, settings)
    queued = enqueue_many(session, list(dict(outgoing.values()).items()))
    result.outbox_ids += queued.values()
    for change in settled:
        if change["id"] in outgoing:
            change["outbox_id"] = queued.get(outgoing[change["id"]][0])
    session.execute(update(Reminder), settled)
    for task_id in sorted(continued):
        plan_task(session, scene.tasks[task_id], settings, at)


# --- the whole sweep -------------------------------------------------------------------------------

def run_due_work(runtime, at: datetime, *, reminders: bool = True, summaries: bool = True) -> SweepResult:
    """Do exactly what is due at `at`, then hand the outbox to the sender (see module doc)."""
    if at.tzinfo is None:
        raise ValueError("run_due_work needs an aware datetime")
    settings = runtime.settings
    result = SweepResult()
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    if not acquire_lease(runtime.engine, LEASE_NAME, holder, LEASE_TTL):
        result.stood_aside = True
        return result
    try:
        if Calendar.from_settings(settings).in_office_hours(at):
            if reminders:
                with runtime.session(write_lock=True) as session:
                    queue_due_reminders(session, settings, at, result)
            if summaries:
                queued = summary_messages(runtime, at, holder)
                result.summaries = len(queued)
                result.outbox_ids += queued
    finally:
        release_lease(runtime.engine, LEASE_NAME, holder)
    runtime.sender.deliver_due(now=at)  # retries and checks are timed on the sweep's clock
    if result.outbox_ids:
        with runtime.session(read_only=True) as session:
            result.delivered = dict(session.exec(
                select(OutboxMessage.status, func.count()).where(OutboxMessage.id.in_(result.outbox_ids))
                .group_by(OutboxMessage.status)).all())
    return result
