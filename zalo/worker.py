"""Handles recorded webhook events after Zalo has had its answer.

Each event is handled in one transaction: claiming it, updating the sender's last interaction,
running the handlers and queuing their replies commit together. A crash anywhere before the
commit leaves the event pending, and the next pass (or the next start) handles it once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from config.settings import Settings
from storage.models import InboundEvent, Officer, utcnow
from zalo import events
from zalo.held import release_held
from zalo.messages import Outgoing
from zalo.outbox import enqueue_many

if TYPE_CHECKING:
    from zalo.runtime import Runtime

log = logging.getLogger(__name__)

# The conversation: (session, settings, event, the sender's officer or None, now) -> replies.
Dispatch = Callable[[Session, Settings, dict, "Officer | None", datetime], list[Outgoing]]


class EventWorker:
    def __init__(self, runtime: "Runtime", dispatch: Dispatch):
        self.runtime = runtime
        self.dispatch = dispatch
        self.wake = threading.Event()

    def process_pending(self) -> int:
        """Handle every recorded, unhandled event in arrival order; returns how many."""
        with self.runtime.session(read_only=True) as session:
            ids = session.exec(
                select(InboundEvent.id).where(InboundEvent.status == "pending").order_by(InboundEvent.id)
            ).all()
        handled = sum(1 for event_id in ids if self._handle(event_id))
        if handled:
            self.runtime.sender.wake.set()
        return handled

    def _handle(self, event_id: int) -> bool:
        try:
            with self.runtime.session(write_lock=True) as session:
                now = utcnow()
                claimed = session.execute(
                    update(InboundEvent)
                    .where(InboundEvent.id == event_id, InboundEvent.status == "pending")
                    .values(status="done", handled_at=now)
                ).rowcount
                if not claimed:
                    return False
                event = session.get(InboundEvent, event_id)
                self._apply(session, event, now)
            return True
        except OperationalError:
            # The database, not the event (a dropped connection, a lock timeout): try it next pass.
            log.exception("event %s waits: the database did not answer", event_id)
            return False
        except Exception as error:  # noqa: BLE001 - one bad event must not stop the others
            log.exception("event %s could not be handled", event_id)
            with self.runtime.session() as session:
                session.execute(
                    update(InboundEvent).where(InboundEvent.id == event_id)
                    .values(status="failed", handled_at=utcnow(), error=repr(error)[:500])
                )
            return False

    def _apply(self, session, event: InboundEvent, now) -> None:
        payload, name = event.payload, event.event_name
        if not events.reaches_handlers(name):
            return
        officer = None
        if event.zalo_user_id:
            officer = session.exec(select(Officer).where(Officer.zalo_user_id == event.zalo_user_id)).first()
        interacted = officer is not None and events.is_interaction(name)
        if interacted:
            at = events.event_time(payload, event.received_at)
            if officer.last_interaction_at is None or at > officer.last_interaction_at:
                officer.last_interaction_at = at
            officer.unreachable_since = None
            session.add(officer)
        replies = self.dispatch(session, self.runtime.settings, payload, officer, now)
        if interacted:
            # After the handlers, so that a task closed by this very message is not reminded.
            release_held(session, event.zalo_user_id, self.runtime.settings, now)
        enqueue_many(session, [(f"event:{event.id}:{index}", reply) for index, reply in enumerate(replies)])
