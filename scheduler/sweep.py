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
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.outbox import Outgoing, enqueue
from scheduler.calendar import Calendar
from scheduler.messages import notice_label, reminder_text, task_buttons
from scheduler.planner import ESCALATION, OVERDUE, SERIES_KINDS
from scheduler.planning import plan_task
from storage.models import TASK_OPEN, Lease, Notice, Officer, Reminder, Task, TaskAssignee, Unit, utcnow

LEASE_NAME = "scheduler"
LEASE_TTL = timedelta(minutes=5)


@dataclass
class SweepResult:
    queued: int = 0  # reminders handed to the outbox
    skipped: int = 0  # reminders of closed tasks
    missed: int = 0  # reminders older than the catch-up window (they go into the next summary)
    unlinked: int = 0  # reminders for officers without a Zalo account
    summaries: int = 0  # summary messages queued (texts and charts)
    handed: int = 0  # outbox messages the sender handled (sent, held or failed)
    stood_aside: bool = False  # another process held the lease

    def __str__(self) -> str:
        if self.stood_aside:
            return "another scheduler is working: nothing done here"
        return (f"{self.queued} reminder(s) queued, {self.skipped} skipped (closed), {self.missed} missed, "
                f"{self.unlinked} to officers without Zalo; {self.summaries} summary message(s); "
                f"{self.handed} message(s) handed to Zalo")


# --- the lease -----------------------------------------------------------------------------------

def acquire_lease(runtime, name: str, holder: str, ttl: timedelta = LEASE_TTL) -> bool:
    """Take the named lease unless another holder has it and it has not expired (real clock)."""
    now = utcnow()
    try:
        with runtime.session(write_lock=True) as session:
            lease = session.exec(select(Lease).where(Lease.name == name).with_for_update()).first()
            if lease is not None and lease.holder != holder and lease.expires_at > now:
                return False
            lease = lease or Lease(name=name, holder=holder, expires_at=now)
            lease.holder, lease.expires_at = holder, now + ttl
            session.add(lease)
    except IntegrityError:  # another process inserted the row first
        return False
    return True


def release_lease(runtime, name: str, holder: str) -> None:
    with runtime.session() as session:
        session.execute(delete(Lease).where(Lease.name == name, Lease.holder == holder))


# --- reminders -----------------------------------------------------------------------------------

def reminder_key(task_id: int, officer_id: int, planned_at: datetime) -> str:
    return f"reminder:{task_id}:{officer_id}:{planned_at.astimezone(timezone.utc):%Y%m%dT%H%MZ}"


class _Lookup:
    """Officers, units, notices and owners read once per sweep."""

    def __init__(self, session: Session):
        self.session = session
        self._cache: dict = {}

    def get(self, model, key):
        if (model, key) not in self._cache:
            self._cache[model, key] = self.session.get(model, key)
        return self._cache[model, key]

    def label(self, task: Task) -> str:
        notice = self.get(Notice, task.notice_id)
        return notice_label(notice.week, notice.symbol, notice.meeting_on)

    def owner(self, task: Task) -> str:
        """Who answers for the task, as the head or leader reading about it calls them."""
        if ("owner", task.id) not in self._cache:
            names = self.session.exec(
                select(Officer.full_name).join(TaskAssignee, TaskAssignee.officer_id == Officer.id)
                .where(TaskAssignee.task_id == task.id).order_by(Officer.id)
            ).all()
            unit = self.get(Unit, task.unit_id) if task.unit_id else None
            self._cache["owner", task.id] = ", ".join(names) or (unit.name if unit else task.unit_raw)
        return self._cache["owner", task.id]

    def responsible(self, task: Task, officer: Officer) -> bool:
        named = self.session.exec(select(TaskAssignee.officer_id).where(TaskAssignee.task_id == task.id)).all()
        return officer.id in named if named else officer.unit_id == task.unit_id


def _reminder_outgoing(row: Reminder, task: Task, officer: Officer, look: _Lookup, settings, at: datetime) -> Outgoing:
    own = look.responsible(task, officer)
    owner = "" if own and row.kind == OVERDUE else look.owner(task)
    text = reminder_text(row.kind, task, look.label(task), at, owner=owner, zone=settings.zone)
    buttons = task_buttons(task.id, can_extend=own) if row.kind != ESCALATION else task_buttons(task.id)[1:2]
    return Outgoing(officer.zalo_user_id, text, buttons, task_id=task.id, officer_id=officer.id, kind="reminder")


def queue_due_reminders(session: Session, settings, at: datetime, result: SweepResult) -> None:
    """Queue each pending reminder due by `at`; settle those that must not be sent."""
    oldest = at - timedelta(hours=settings.catch_up_hours)
    rows = session.exec(
        select(Reminder, Task).join(Task, Task.id == Reminder.task_id)
        .where(Reminder.state == "pending", Reminder.planned_at <= at)
        .order_by(Reminder.planned_at, Reminder.id)
    ).all()
    look = _Lookup(session)
    continued: dict[int, Task] = {}
    for row, task in rows:
        officer = look.get(Officer, row.officer_id)
        if task.status != TASK_OPEN or not task.published:
            row.state = "skipped"
            result.skipped += 1
        elif row.planned_at < oldest:
            row.state = "missed"
            result.missed += 1
        elif not (officer and officer.active and officer.zalo_user_id):
            row.state = "unlinked"
            result.unlinked += 1
        else:
            message = enqueue(session, reminder_key(task.id, officer.id, row.planned_at),
                              _reminder_outgoing(row, task, officer, look, settings, at))
            row.state, row.outbox_id = "queued", message.id if message else None
            result.queued += 1
        session.add(row)
        if row.kind in SERIES_KINDS and row.state != "skipped":
            continued[task.id] = task
    session.flush()
    for task in continued.values():
        plan_task(session, task, settings, at)


# --- the whole sweep -------------------------------------------------------------------------------

def run_due_work(runtime, at: datetime, *, reminders: bool = True, summaries: bool = True) -> SweepResult:
    """Do exactly what is due at `at`, then hand the outbox to the sender (see module doc)."""
    from scheduler.summaries import queue_weekly_summaries

    if at.tzinfo is None:
        raise ValueError("run_due_work needs an aware datetime")
    settings = runtime.settings
    result = SweepResult()
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    if not acquire_lease(runtime, LEASE_NAME, holder):
        result.stood_aside = True
        return result
    try:
        if Calendar.from_settings(settings).in_office_hours(at):
            if reminders:
                with runtime.session(write_lock=True) as session:
                    queue_due_reminders(session, settings, at, result)
            if summaries:
                result.summaries = queue_weekly_summaries(runtime, at, holder)
    finally:
        release_lease(runtime, LEASE_NAME, holder)
    result.handed = runtime.sender.deliver_due()
    return result
