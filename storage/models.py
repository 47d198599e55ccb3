"""The tables. Every datetime is timezone-aware (stored as UTC); dates are wall-clock dates.

Task numbers shown to officers ("#7") are `Task.id`: they never change for a task.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any, Optional

from sqlalchemy import JSON, Column, DateTime, Index, UniqueConstraint, event, types
from sqlalchemy import text as sql_text
from sqlmodel import Field, SQLModel


class AwareDateTime(types.TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to an aware column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def aware_column(*, index: bool = False, nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(AwareDateTime(), index=index, nullable=nullable))


def json_column(default_factory=list) -> Any:
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))


# --- directory ---------------------------------------------------------------------------

UNIT_KINDS = ("leadership", "office", "department", "affiliated", "union")
ROLES = ("leader", "head", "member", "admin")


class Unit(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=32)
    name: str = Field(max_length=255)
    aliases: list[str] = json_column()
    kind: str = Field(max_length=16)
    # The leader (an officer id) who directs this unit: optional directory column `directed_by`;
    # when unset, every leader oversees it. No foreign key: units and officers would point at
    # each other, a cycle SQLite cannot create.
    director_id: Optional[int] = None
    # A unit the office closed (merged, renamed away): kept for its tasks' history, offered nowhere.
    active: bool = Field(default=True)


class Officer(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    full_name: str = Field(index=True, max_length=255)
    title: str = Field(default="", max_length=255)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    role: str = Field(max_length=16)
    phone: str = Field(default="", max_length=32)
    zalo_user_id: Optional[str] = Field(default=None, index=True, unique=True, max_length=64)
    last_interaction_at: Optional[datetime] = aware_column()
    # Set by `unfollow` (and by Zalo refusing delivery); cleared when they interact again.
    unreachable_since: Optional[datetime] = aware_column()
    active: bool = Field(default=True)


class LinkCode(SQLModel, table=True):
    """One-time code an officer sends as "đăng ký CODE" to link their Zalo account."""

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=16)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    created_at: datetime = aware_column(nullable=False)
    expires_at: datetime = aware_column(nullable=False)
    used_at: Optional[datetime] = aware_column()
    # Set when the office replaced it with a new code: its holder is told so, not "expired".
    voided_at: Optional[datetime] = aware_column()


class LinkAttempt(SQLModel, table=True):
    """A failed "đăng ký" try, kept to block guessing (five an hour)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    zalo_user_id: str = Field(index=True, max_length=64)
    at: datetime = aware_column(nullable=False)


# --- notices and tasks -----------------------------------------------------------------------

class Notice(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    content_hash: str = Field(index=True, unique=True, max_length=64)
    source_name: str = Field(default="", max_length=255)
    number: Optional[str] = Field(default=None, max_length=32)
    symbol: Optional[str] = Field(default=None, max_length=64)
    place: Optional[str] = Field(default=None, max_length=128)
    issued_on: Optional[date] = None
    meeting_on: Optional[date] = None
    week: Optional[int] = None
    year: Optional[int] = None
    title: str = Field(default="")
    chair: Optional[str] = Field(default=None, max_length=255)
    signer: Optional[str] = Field(default=None, max_length=255)
    imported_at: datetime = aware_column(nullable=False)
    published_at: Optional[datetime] = aware_column()
    # What the importer could not resolve or was unsure of, for the office to review.
    warnings: list[str] = json_column()
    # A draft the office deleted: kept (with its tasks, cancelled) but no longer listed.
    discarded_at: Optional[datetime] = aware_column()


TASK_OPEN = "open"
TASK_DONE = "done"
# Withdrawn by the office (a draft row deleted, a task a corrected notice no longer has):
# kept with its history, never shown to officers (it is unpublished too).
TASK_CANCELLED = "cancelled"
DEADLINE_KINDS = ("on", "before", "meeting", "period", "recurring")


class Task(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("notice_id", "ref", "unit_id", name="uq_task_notice_ref_unit"),
        # A unit's open tasks and their due moments, from the index alone ("việc của tôi").
        Index("ix_task_open_by_unit", "status", "published", "unit_id", "due_at"),
        # Every task's status (console.statuses) counted from the index alone, 50,000 at a time.
        Index("ix_task_status_facts", "published", "status", "deadline_kind", "deadline_date", "deadline_time",
              "closed_at", "unit_id", "notice_id", "due_at"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    ref: str = Field(max_length=16)
    unit_id: Optional[int] = Field(default=None, foreign_key="unit.id", index=True)
    unit_raw: str = Field(default="", max_length=255)
    # Names as written, including those the directory could not resolve.
    assignees_raw: list[str] = json_column()
    coordinating_raw: list[str] = json_column()
    text: str
    deadline_raw: Optional[str] = Field(default=None, max_length=255)
    deadline_kind: Optional[str] = Field(default=None, max_length=16)
    deadline_date: Optional[date] = None
    deadline_time: Optional[str] = Field(default=None, max_length=5)
    deadline_start: Optional[date] = None
    # The moment the task is due, from the deadline fields (None: no deadline).
    due_at: Optional[datetime] = aware_column(index=True)
    published: bool = Field(default=False, index=True)
    status: str = Field(default=TASK_OPEN, max_length=10, index=True)
    closed_by_id: Optional[int] = Field(default=None, foreign_key="officer.id")
    closed_at: Optional[datetime] = aware_column()
    close_note: Optional[str] = None
    # Sentences holding deadline-like phrases the reader did not understand ("trước Tết").
    unread_deadlines: list[str] = json_column()
    # The text folded (`tasks.text.fold`) for search; kept by `tasks.lifecycle` on every write.
    search_key: Optional[str] = None


class TaskAssignee(SQLModel, table=True):
    task_id: int = Field(foreign_key="task.id", primary_key=True)
    officer_id: int = Field(foreign_key="officer.id", primary_key=True, index=True)


class TaskCoordinator(SQLModel, table=True):
    task_id: int = Field(foreign_key="task.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)


class TaskDelegate(SQLModel, table=True):
    """An officer a head or a leader handed the task to ("giao 9 cho Châu"); a task may have several.

    `unit_id` is the part handed over: the task's unit, or a coordinating unit for its share.
    A hand-over taken back keeps its row with `revoked_at` set (handing it over again clears it);
    every change is also a row of the task's history.
    """

    task_id: int = Field(foreign_key="task.id", primary_key=True)
    officer_id: int = Field(foreign_key="officer.id", primary_key=True, index=True)
    unit_id: int = Field(foreign_key="unit.id")
    delegated_by_id: Optional[int] = Field(default=None, foreign_key="officer.id")
    delegated_at: datetime = aware_column(nullable=False)
    revoked_at: Optional[datetime] = aware_column()


class ProgressReport(SQLModel, table=True):
    """"Tiến độ 26: đã xong dự thảo", or a coordinating unit's "xong phần 26" (`part_done`).

    `attachments`: the photos and files sent with it, as Zalo gave them: [{"type", "url", "name"}].
    """

    __table_args__ = (Index("ix_progressreport_task_at", "task_id", "at"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    officer_id: int = Field(foreign_key="officer.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    at: datetime = aware_column(nullable=False)
    text: str = ""
    part_done: bool = False
    attachments: list[dict] = json_column()


class TaskEvent(SQLModel, table=True):
    """Append-only history of a task: never updated, never deleted."""

    id: Optional[int] = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    at: datetime = aware_column(nullable=False)
    actor_id: Optional[int] = Field(default=None, foreign_key="officer.id")
    action: str = Field(max_length=32)
    note: Optional[str] = None
    data: dict = json_column(dict)


@event.listens_for(TaskEvent, "before_update")
@event.listens_for(TaskEvent, "before_delete")
def _history_is_append_only(_mapper, _connection, target) -> None:
    raise ValueError(f"history is append-only ({type(target).__name__} {target.id})")


class ExtensionRequest(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    requested_by_id: int = Field(foreign_key="officer.id")
    requested_date: date
    reason: str = ""
    status: str = Field(default="pending", max_length=16)  # pending, approved, refused
    created_at: datetime = aware_column(nullable=False)
    decided_by_id: Optional[int] = Field(default=None, foreign_key="officer.id")
    decided_at: Optional[datetime] = aware_column()
    decision_note: Optional[str] = None


class Reminder(SQLModel, table=True):
    """A planned reminder: one per task, recipient and instant (the idempotency key)."""

    __table_args__ = (
        UniqueConstraint("task_id", "officer_id", "planned_at", name="uq_reminder"),
        # The sweep's question, "pending and due by T, in order", answered from this index alone:
        # only pending rows are in it, so it stays small however many reminders were sent.
        Index("ix_reminder_pending_due", "planned_at", "id", sqlite_where=sql_text("state = 'pending'"),
              postgresql_where=sql_text("state = 'pending'")),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")  # indexed by uq_reminder, which it leads (migration 0006)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    planned_at: datetime = aware_column(nullable=False, index=True)
    kind: str = Field(max_length=16)  # before_deadline, meeting, overdue, escalation, recurring
    # pending -> queued (handed to the outbox) | skipped (task closed) | missed (too late) |
    # stale (sent late, what it announced had begun: tasks.planner.passed_purpose)
    state: str = Field(default="pending", max_length=8)  # not indexed: see migration 0006
    outbox_id: Optional[int] = Field(default=None, foreign_key="outboxmessage.id")


class ChatState(SQLModel, table=True):
    """What the conversation keeps about one Zalo account between two of its messages: how many
    in a row it did not understand, and the question it is waiting an answer to."""

    zalo_user_id: str = Field(primary_key=True, max_length=64)
    misunderstood: int = 0
    awaiting: Optional[str] = Field(default=None, max_length=32)  # refusal_reason, progress
    awaiting_task_id: Optional[int] = None
    awaiting_until: Optional[datetime] = aware_column()


# --- Zalo traffic ------------------------------------------------------------------------------

class InboundEvent(SQLModel, table=True):
    """Every verified webhook event, recorded before we answer Zalo."""

    # The worker's claim, "the oldest pending events", read in order from the pending rows alone.
    __table_args__ = (Index("ix_inboundevent_pending", "id", sqlite_where=sql_text("status = 'pending'"),
                            postgresql_where=sql_text("status = 'pending'")),)

    id: Optional[int] = Field(default=None, primary_key=True)
    # sha256 of the raw body: Zalo redelivers identical bytes.
    event_key: str = Field(index=True, unique=True, max_length=64)
    event_name: str = Field(max_length=64)
    zalo_user_id: Optional[str] = Field(default=None, index=True, max_length=64)
    payload: dict = json_column(dict)
    received_at: datetime = aware_column(nullable=False)
    status: str = Field(default="pending", max_length=8, index=True)  # pending, done, failed
    handled_at: Optional[datetime] = aware_column()
    error: Optional[str] = None


# uncertain: Zalo's answer was lost; the sender reads the conversation back and resends only when
# the message is not there (docs/zalo.md, uncertain answers).
# An uncertain message not settled after this is shown to the office with «Gửi lại».
UNCERTAIN_STUCK_AFTER = timedelta(hours=1)
OUTBOX_STATES = ("pending", "claimed", "sending", "sent", "held", "folded", "superseded", "failed", "uncertain")
# How a message reached the officer: a text in the 7-day window (free for 48 hours, then billed),
# a template by Zalo user id, a ZNS template by phone.
CHANNELS = ("text", "billed", "template", "zns")


class OutboxMessage(SQLModel, table=True):
    """The one way out: replies, reminders and summaries all leave from here, once."""

    id: Optional[int] = Field(default=None, primary_key=True)
    idempotency_key: str = Field(index=True, unique=True, max_length=255)
    zalo_user_id: str = Field(index=True, max_length=64)
    officer_id: Optional[int] = Field(default=None, foreign_key="officer.id", index=True)
    kind: str = Field(max_length=16)  # reply, reminder, summary, digest, image, notice
    text: str = ""
    # Quick-reply buttons: [{"title": ..., "payload": ...}] sent as oa.query.show.
    buttons: list[dict] = json_column()
    image_path: Optional[str] = Field(default=None, max_length=512)
    # The task this message is about, so that a "Trả lời" to it names the task.
    task_id: Optional[int] = Field(default=None, foreign_key="task.id")
    quote_message_id: Optional[str] = Field(default=None, max_length=64)
    status: str = Field(default="pending", max_length=10, index=True)
    attempts: int = 0
    created_at: datetime = aware_column(nullable=False)
    not_before: Optional[datetime] = aware_column(index=True)
    sent_at: Optional[datetime] = aware_column()
    zalo_message_id: Optional[str] = Field(default=None, index=True, max_length=64)
    folded_into_id: Optional[int] = Field(default=None, foreign_key="outboxmessage.id")
    last_error: Optional[str] = None
    # The process that claimed the message, and until when the claim holds (a dead owner's lapses).
    owner: Optional[str] = Field(default=None, max_length=64)
    lease_until: Optional[datetime] = aware_column()
    # When the last call to Zalo began; since when the outcome is uncertain, and checks made since.
    attempt_at: Optional[datetime] = aware_column()
    uncertain_since: Optional[datetime] = aware_column()
    checks: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    channel: Optional[str] = Field(default=None, max_length=8)  # one of CHANNELS, once sent


class SentPart(SQLModel, table=True):
    """Each Zalo message id an outbox message produced (long texts go out in parts)."""

    zalo_message_id: str = Field(primary_key=True, max_length=64)
    outbox_id: int = Field(foreign_key="outboxmessage.id", index=True)


class ZaloToken(SQLModel, table=True):
    """The current token pair (a single row, id 1); refreshed under a row lock."""

    id: Optional[int] = Field(default=None, primary_key=True)
    access_token: str
    refresh_token: str
    expires_at: datetime = aware_column(nullable=False)
    updated_at: datetime = aware_column(nullable=False)


class RateBudget(SQLModel, table=True):
    """Zalo's request budget, shared by every process: the next free request slot (zalo.budget)."""

    name: str = Field(primary_key=True, max_length=32)
    next_slot: datetime = aware_column(nullable=False)


class Heartbeat(SQLModel, table=True):
    """When a recurring piece of work last finished (`sweep`): `/healthz` reports its age."""

    name: str = Field(primary_key=True, max_length=32)
    at: datetime = aware_column(nullable=False)


class Lease(SQLModel, table=True):
    """A named lease held by one process at a time (the scheduler's sender, the token refresh)."""

    name: str = Field(primary_key=True, max_length=32)
    holder: str = Field(max_length=64)
    expires_at: datetime = aware_column(nullable=False)


# --- the console ---------------------------------------------------------------------------------

class NoticeEvent(SQLModel, table=True):
    """Append-only history of a notice: imported, corrected, published, discarded; by whom."""

    id: Optional[int] = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    at: datetime = aware_column(nullable=False)
    actor_id: Optional[int] = Field(default=None, foreign_key="officer.id")
    action: str = Field(max_length=32)
    data: dict = json_column(dict)


event.listen(NoticeEvent, "before_update", _history_is_append_only)
event.listen(NoticeEvent, "before_delete", _history_is_append_only)


class PendingImport(SQLModel, table=True):
    """A notice read from an upload that corrects one already stored, waiting for the office
    to look at the differences and apply them (or not)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    created_at: datetime = aware_column(nullable=False, index=True)
    source_name: str = Field(default="", max_length=255)
    content_hash: str = Field(max_length=64)
    target_notice_id: int = Field(foreign_key="notice.id")
    parsed: dict = json_column(dict)


class ConsoleSession(SQLModel, table=True):
    """A console session: the browser holds a random id, the database its hash and contents."""

    key: str = Field(primary_key=True, max_length=64)
    # Which password (and secret key) it was opened under: another one revokes it.
    password_tag: str = Field(max_length=64)
    data: dict = json_column(dict)
    created_at: datetime = aware_column(nullable=False)
    expires_at: datetime = aware_column(nullable=False, index=True)


class SignInFailure(SQLModel, table=True):
    """A wrong console password, by client address: counted across processes and restarts."""

    id: Optional[int] = Field(default=None, primary_key=True)
    address: str = Field(index=True, max_length=64)
    at: datetime = aware_column(nullable=False, index=True)
