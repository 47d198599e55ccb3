"""Handles recorded webhook events after Zalo has had its answer.

Events are handled in short transactions, a few at a time: the worker claims the oldest pending
events, in order, leaving out a user's event while an older one of theirs is in another worker's
hands (so each officer's messages are answered in order) and handles them in one transaction that commits
within `BATCH_SECONDS`; should one fail, the batch is rolled back and handled again event by
event, each under a savepoint, the failing one marked `failed`. Claiming, updating the sender's last
interaction, running the handlers and queuing their replies commit together: a crash before the
commit leaves the events pending, and the next pass (or the next start) handles them once. On
PostgreSQL the claim is `FOR UPDATE SKIP LOCKED`, so several worker processes share the queue.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from typing import Protocol

from sqlalchemy import func, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from config.settings import Settings
from storage.bulk import update_by_id
from storage.inbox import move_inbox
from storage.models import InboundEvent, Officer, OutboxMessage, utcnow
from zalo import events
from zalo.held import release_held
from zalo.messages import Outgoing
from zalo.outbox import enqueue_many
from zalo.parts import Parts

log = logging.getLogger(__name__)

class Dispatch(Protocol):
    """The conversation (wired in by `bot`): called with (session, settings, event, the sender's
    officer or None, now), it returns an event's replies; `prepare` first reads, in one statement,
    what a batch's accounts will each need."""

    def prepare(self, session: Session, users: set[str]) -> None: ...

    def __call__(self, session: Session, settings: Settings, event: dict, officer: Officer | None,
                 now: datetime) -> list[Outgoing]: ...

# At most this many events per transaction, and no new one started after so many seconds: the
# claim and the commit are shared by many events, and the transaction stays short enough for the
# sender and the console, which write too (on SQLite the webhook writes into its own inbox,
# `storage.inbox`, so it never waits on this one).
BATCH_SIZE = 32
BATCH_SECONDS = 0.1
# A breath between two transactions of a backlog: on SQLite, the sender's and the console's
# writes take the write lock in it instead of waiting for the whole backlog.
BATCH_GAP_SECONDS = 0.002


class EventWorker:
    def __init__(self, runtime: Parts, dispatch: Dispatch):
        self.runtime = runtime
        self.dispatch = dispatch
        self.wake = threading.Event()
        self.handled_total = 0
        self.batch_size, self.batch_seconds = BATCH_SIZE, BATCH_SECONDS

    def process_pending(self) -> int:
        """Handle every recorded, unhandled event, each user's in arrival order; returns how many."""
        handled = 0
        while not self.runtime.stopping.is_set():
            try:
                done, claimed, deferred = self._handle_batch()
                moved = 0 if claimed else move_inbox(self.runtime.engine)
            except OperationalError:
                # The database, not the events (a dropped connection, a lock timeout): next pass.
                log.exception("events wait: the database did not answer")
                break
            handled += done
            if deferred and not claimed:
                # Every event left waits for an older one of its officer's that another worker
                # holds, maybe only for its own claim's instant: look again once that has committed.
                time.sleep(self.batch_seconds)
                continue
            if not claimed and not moved:
                break
            self.runtime.outbox_bell.set()
            if claimed >= self.batch_size:  # a backlog: let other writers in between two transactions
                time.sleep(BATCH_GAP_SECONDS)
        self.handled_total += handled
        return handled

    def _claim(self, session) -> tuple[list[InboundEvent], int]:
        """The oldest pending events, locked (others' locks skipped), less those whose user has an
        older pending event this claim does not hold: each officer's events are handled in order,
        by one worker at a time, while several workers share a backlog. Returns the batch and how
        many events were left out for that reason."""
        locked = list(session.exec(
            select(InboundEvent).where(InboundEvent.status == "pending")
            .order_by(InboundEvent.id).limit(self.batch_size).with_for_update(skip_locked=True)).all())
        users = _senders(locked)
        if not users:
            return locked, 0
        elsewhere = dict(session.exec(
            select(InboundEvent.zalo_user_id, func.min(InboundEvent.id))
            .where(InboundEvent.zalo_user_id.in_(users), InboundEvent.status == "pending",
                   InboundEvent.id.not_in([e.id for e in locked]))
            .group_by(InboundEvent.zalo_user_id)).all())
        batch = [e for e in locked if elsewhere.get(e.zalo_user_id, e.id) >= e.id]
        return batch, len(locked) - len(batch)

    def _handle_batch(self) -> tuple[int, int, int]:
        """One short transaction: claim a few events and handle them, with the statements that can
        serve the whole batch (the officers, who has held messages, the claim) run once for it. If
        one event fails, the transaction is rolled back and the events are handled one by one.
        Returns how many were handled, claimed and left out of the claim (`_claim`)."""
        try:
            with self.runtime.session(write_lock=True) as session:
                batch, deferred = self._claim(session)
                return self._apply_batch(session, batch), len(batch), deferred
        except OperationalError:
            raise
        except Exception:  # noqa: BLE001 - found again, and kept to its event, below
            log.warning("a batch of events failed: handling them one by one")
        with self.runtime.session(write_lock=True) as session:
            batch, deferred = self._claim(session)
            return sum(self._handle(session, event) for event in batch), len(batch), deferred

    def _apply_batch(self, session, batch: list[InboundEvent]) -> int:
        if not batch:
            return 0
        now, started = utcnow(), time.monotonic()
        officers = _mark_interactions(session, batch)
        self.dispatch.prepare(session, _senders(batch))
        holding = set(session.exec(select(OutboxMessage.zalo_user_id).distinct().where(
            OutboxMessage.zalo_user_id.in_(officers), OutboxMessage.status == "held")).all())
        handled: list[int] = []
        queued: list[tuple[str, Outgoing]] = []
        for event in batch:
            if handled and time.monotonic() - started > self.batch_seconds:
                break  # left pending and unlocked at commit: the next transaction takes them
            self._apply(session, event, now, officers.get(event.zalo_user_id), event.zalo_user_id in holding, queued)
            handled.append(event.id)
        enqueue_many(session, queued)
        session.execute(update(InboundEvent).where(InboundEvent.id.in_(handled)).values(status="done", handled_at=now))
        return len(handled)

    def _handle(self, session, event: InboundEvent) -> bool:
        """One event as a batch of its own, under a savepoint (the slow path, after a batch failed):
        read afresh, since what an event rolled back before it had left is gone."""
        try:
            with session.begin_nested():
                self._apply_batch(session, [event])
            return True
        except OperationalError:
            raise
        except Exception as error:  # noqa: BLE001 - one bad event must not stop the others
            log.exception("event %s could not be handled", event.id)
            session.execute(update(InboundEvent).where(InboundEvent.id == event.id)
                            .values(status="failed", handled_at=utcnow(), error=repr(error)[:500]))
            return False

    def _apply(self, session, event: InboundEvent, now, officer: Officer | None, holding: bool,
               queued: list[tuple[str, Outgoing]]) -> None:
        """Handle one event: its officer (None if not linked), whether messages are held for them,
        and the replies of the batch so far (queued together at its end)."""
        payload, name = event.payload, event.event_name
        if not events.reaches_handlers(name):
            return
        replies = self.dispatch(session, self.runtime.settings, payload, officer, now)
        if holding and officer is not None and events.is_interaction(name):
            # After the handlers, so that a task closed by this very message is not reminded; after
            # the batch's earlier replies, which are queued first.
            enqueue_many(session, queued)
            queued.clear()
            release_held(session, event.zalo_user_id, self.runtime.settings, now)
        queued += [(f"event:{event.id}:{index}", reply) for index, reply in enumerate(replies)]


def _mark_interactions(session, batch: list[InboundEvent]) -> dict[str, Officer]:
    """The officers who sent the batch's events, by Zalo id, each marked reachable and as having
    written at their latest message, in one statement for all, before any event is handled: the
    handlers read it, and the row locks order it before the sender's check of a message it is
    about to hold (`OutboxSender._wrote_since`)."""
    officers = {o.zalo_user_id: o
                for o in session.exec(select(Officer).where(Officer.zalo_user_id.in_(_senders(batch))))}
    wrote: dict[int, Officer] = {}
    for event in batch:
        officer = officers.get(event.zalo_user_id)
        if officer is None or not events.is_interaction(event.event_name):
            continue
        at = events.event_time(event.payload, event.received_at)
        if officer.last_interaction_at is None or at > officer.last_interaction_at:
            set_committed_value(officer, "last_interaction_at", at)  # as stored: no flush writes it again
        set_committed_value(officer, "unreachable_since", None)
        wrote[officer.id] = officer
    update_by_id(session, Officer.__table__, [
        {"id": o.id, "last_interaction_at": o.last_interaction_at, "unreachable_since": None} for o in wrote.values()])
    return officers


def _senders(batch: list[InboundEvent]) -> set[str]:
    return {e.zalo_user_id for e in batch if e.zalo_user_id}
