"""The sweep: everything that is due at one instant, done once.

`run_due_work(runtime, at)` is what the scheduler runs every minute and what `nhacviec tick
--at` runs once. It queues the reminders that fell due in the catch-up window, the weekly
summaries when their moment has come, then hands the outbox to the sender. Every message has
an idempotency key, so running it again, after a restart or from a second process, sends
nothing twice; a database lease makes a second process stand aside instead of doing the
same work in parallel. Nothing is queued outside office hours.
"""

from __future__ import annotations

import gc
import os
import socket
import uuid
from collections import defaultdict, namedtuple
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import func
from sqlmodel import Session, select

from scheduler.messages import escalation_digest, task_buttons
from scheduler.summaries import summary_messages
from storage.bulk import among, update_by_id
from storage.leases import acquire_lease, release_lease
from storage.models import TASK_OPEN, Notice, Officer, OutboxMessage, Reminder, Task, TaskAssignee, TaskDelegate, Unit
from tasks.calendar import Calendar
from tasks.planner import ESCALATION, OVERDUE, PASSED_DROP, PASSED_OVERDUE, SERIES_KINDS, passed_purpose
from tasks.schedule import plan_task
from tasks.wording import DEADLINE_FIELDS, escalation_line, notice_label, reminder_text
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

@lru_cache(maxsize=256)  # a sweep's thousands of reminders share a few moments
def _minute(moment: datetime) -> str:
    """A planned moment as keys write it: its minute in UTC."""
    return f"{moment.astimezone(UTC):%Y%m%dT%H%MZ}"


def reminder_key(task_id: int, officer_id: int, planned_at: datetime) -> str:
    return f"reminder:{task_id}:{officer_id}:{_minute(planned_at)}"


# What a reminder says of its task and what decides whether it goes (not the whole row).
_Task = namedtuple("_Task", ("id", "notice_id", "unit_id", "unit_raw", "text", "published", *DEADLINE_FIELDS))


class _Officer(NamedTuple):
    """What a reminder needs of its reader: whom to address (`recipient_key`) and their unit."""

    id: int
    unit_id: int
    active: bool
    zalo_user_id: str | None
    phone: str


class _Due(NamedTuple):
    """A pending reminder due now."""

    id: int
    task_id: int
    officer_id: int
    planned_at: datetime
    kind: str


_TASK_COLUMNS = tuple(getattr(Task, name) for name in _Task._fields)
_OFFICER_COLUMNS = tuple(getattr(Officer, name) for name in _Officer._fields)


def _due(at: datetime) -> tuple:
    return Reminder.state == "pending", Reminder.planned_at <= at


class _Scene:
    """The due reminders with their tasks and readers, in one query (each row carries its own:
    no list of thousands of ids to send back), then who answers for those tasks (their ids as
    one parameter), their units and notices. Tuples of the few fields needed, not ORM objects."""

    def __init__(self, session: Session, at: datetime):
        rows = session.execute(
            select(Reminder.id, Reminder.planned_at, Reminder.kind, *_TASK_COLUMNS, *_OFFICER_COLUMNS)
            .join(Task, Task.id == Reminder.task_id).join(Officer, Officer.id == Reminder.officer_id)
            .where(*_due(at)).order_by(Reminder.planned_at, Reminder.id)).all()
        self.tasks: dict[int, _Task] = {}
        self.officers: dict[int, _Officer] = {}
        self.due = []
        officer_at = 3 + len(_Task._fields)
        for row in rows:
            task_id, officer_id = row[3], row[officer_at]
            if task_id not in self.tasks:
                self.tasks[task_id] = _Task(*row[3:officer_at])
            if officer_id not in self.officers:
                self.officers[officer_id] = _Officer(*row[officer_at:])
            self.due.append(_Due(row[0], task_id, officer_id, row[1], row[2]))
        if not self.due:
            return
        # Who answers for each task in person: named in the notice, or handed it since.
        self.named: dict[int, list[tuple[int, str]]] = defaultdict(list)
        named = (select(TaskAssignee.task_id, Officer.id, Officer.full_name)
                 .join(Officer, Officer.id == TaskAssignee.officer_id)
                 .where(among(session, TaskAssignee.task_id, self.tasks)))
        handed = (select(TaskDelegate.task_id, Officer.id, Officer.full_name)
                  .join(Officer, Officer.id == TaskDelegate.officer_id)
                  .where(among(session, TaskDelegate.task_id, self.tasks), TaskDelegate.revoked_at.is_(None)))
        for query in (named, handed):
            for task_id, officer_id, name in session.exec(query.order_by(Officer.id)):
                if (officer_id, name) not in self.named[task_id]:
                    self.named[task_id].append((officer_id, name))
        unit_ids = {t.unit_id for t in self.tasks.values() if t.unit_id}
        self.units = dict(session.exec(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all())
        notices = session.exec(select(Notice.id, Notice.week, Notice.symbol, Notice.meeting_on, Notice.published_at)
                               .where(Notice.id.in_({t.notice_id for t in self.tasks.values()})))
        self.labels, self.published = {}, {}
        for notice_id, week, symbol, meeting_on, published_at in notices:
            self.labels[notice_id] = notice_label(week, symbol, meeting_on)
            self.published[notice_id] = published_at

    def owner(self, task: _Task) -> str:
        """Who answers for the task, as the head or leader reading about it calls them."""
        return ", ".join(name for _, name in self.named[task.id]) or self.units.get(task.unit_id, task.unit_raw)

    def responsible(self, task: _Task, officer: _Officer) -> bool:
        named = self.named[task.id]
        return any(officer.id == who for who, _ in named) if named else officer.unit_id == task.unit_id

    def outgoing(self, kind: str, task: _Task, officer: _Officer, recipient: str, settings, at: datetime) -> Outgoing:
        own = self.responsible(task, officer)
        owner = "" if own and kind == OVERDUE else self.owner(task)
        text = reminder_text(kind, task, self.labels[task.notice_id], at, owner=owner, zone=settings.zone)
        buttons = task_buttons(task.id)[1:2] if kind == ESCALATION else task_buttons(task.id, can_extend=own)
        return Outgoing(recipient, text, buttons, task_id=task.id, officer_id=officer.id, kind="reminder")


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
        key = f"escalation:{officer_id}:{_minute(planned_at)}"
        message = Outgoing(recipient_key(officer, settings), text, buttons, officer_id=officer_id, kind="reminder")
        for reminder_id in reminder_ids:
            outgoing[reminder_id] = (key, message)


def _settle(row: _Due, task: _Task, officer: _Officer, recipient: str | None, published_at,
            oldest: datetime, at: datetime) -> tuple[str, str | None]:
    """What becomes of one due reminder: (its state, the kind of reminder it goes as if queued)."""
    if task.status != TASK_OPEN or not task.published:
        return "skipped", None
    if published_at is not None and row.planned_at < published_at <= at:
        return "early", None
    if row.planned_at < oldest:
        return "missed", None
    if not (officer.active and recipient):
        return "unlinked", None
    passed = passed_purpose(row.kind, task, at)
    if passed == PASSED_DROP:
        return "stale", None
    return "queued", OVERDUE if passed == PASSED_OVERDUE else row.kind


def queue_due_reminders(session: Session, settings, at: datetime, result: SweepResult) -> None:
    """Queue each pending reminder due by `at`; settle those that must not be sent."""
    oldest = at - timedelta(hours=settings.catch_up_hours)
    scene = _Scene(session, at)
    if not scene.due:
        return
    recipients = {o.id: recipient_key(o, settings) for o in scene.officers.values()}
    settled, outgoing, continued = [], {}, set()
    for row in scene.due:
        task, officer = scene.tasks[row.task_id], scene.officers[row.officer_id]
        recipient = recipients[officer.id]
        state, kind = _settle(row, task, officer, recipient, scene.published[task.notice_id], oldest, at)
        if state == "queued":
            result.late += kind != row.kind
            key = reminder_key(task.id, officer.id, row.planned_at)
            outgoing[row.id] = (key, scene.outgoing(kind, task, officer, recipient, settings, at))
        setattr(result, state, getattr(result, state) + 1)
        settled.append({"id": row.id, "state": state, "outbox_id": None})
        if row.kind in SERIES_KINDS and state != "skipped":
            continued.add(task.id)
    fold_escalations(outgoing, {row.id: row for row in scene.due}, scene, at, settings)
    queued = enqueue_many(session, list(dict(outgoing.values()).items()))
    result.outbox_ids += queued.values()
    for change in settled:
        if change["id"] in outgoing:
            change["outbox_id"] = queued.get(outgoing[change["id"]][0])
    update_by_id(session, Reminder.__table__, settled)
    if continued:  # a series goes on: its next reminder is planned now that this one went
        for task in session.exec(select(Task).where(among(session, Task.id, continued)).order_by(Task.id)):
            plan_task(session, task, settings, at)


@contextmanager
def without_cycle_collection():
    """The busiest minute makes some hundred thousand short-lived objects (rows, texts, buttons),
    none in a cycle; for them CPython's cycle collector would walk the whole heap, SQLAlchemy's
    and every module's, a few times: hundreds of milliseconds. It resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
                with without_cycle_collection(), runtime.session(write_lock=True) as session:
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
                select(OutboxMessage.status, func.count()).where(among(session, OutboxMessage.id, result.outbox_ids))
                .group_by(OutboxMessage.status)).all())
    return result
