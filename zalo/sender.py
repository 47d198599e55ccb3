"""The sender: delivers queued messages, each at most once.

A message is claimed with a conditional update before Zalo is called, so no two senders and no
restart send it twice. Zalo's 7-day window and retries live here; Zalo's request rate is kept
by the client (`zalo.client.RateLimiter`), which sees every request, each part of a long text
included.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, update
from sqlmodel import Session, select

from storage.models import Officer, OutboxMessage, SentPart, utcnow
from zalo.errors import ZaloError, ZaloTransportError

if TYPE_CHECKING:
    from zalo.runtime import Runtime

log = logging.getLogger(__name__)

WINDOW = timedelta(days=7)
# How long a message waits for Zalo to take it again (rate limit, token being re-granted).
PATIENCE = timedelta(days=1)


@dataclass(frozen=True)
class Outcome:
    """What one delivery attempt came to."""

    status: str  # sent, pending (retry later), held, failed, uncertain
    parts: list[str] = field(default_factory=list)
    error: str = ""
    not_before: datetime | None = None
    unreachable: bool = False


@dataclass(frozen=True)
class Delivery:
    """What one delivery needs, read before Zalo is called."""

    message: OutboxMessage
    officer: Officer | None
    parts_sent: int  # parts of a long text delivered by an earlier attempt (cut short by -32, say)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(300, 5 * 2 ** max(0, attempts - 1)))


def _outside_window(message: OutboxMessage, officer: Officer | None) -> bool:
    """Judged on the real clock. Replies go out: the person has just written to us."""
    if message.kind == "reply" or officer is None:
        return False
    last = officer.last_interaction_at
    return last is None or utcnow() - last > WINDOW


def _recorded_values(outcome: Outcome) -> dict:
    """The outbox row's new values for an outcome."""
    values = {"status": outcome.status, "last_error": (outcome.error or None) and outcome.error[:500]}
    if outcome.parts:  # the first part's id, kept from an earlier attempt that sent it
        values["zalo_message_id"] = func.coalesce(OutboxMessage.zalo_message_id, outcome.parts[0])
    if outcome.status == "sent":
        values["sent_at"] = utcnow()
    if outcome.not_before:
        values["not_before"] = outcome.not_before
    return values


class OutboxSender:
    """Delivers queued messages: claim, send, record; never the same message twice."""

    def __init__(self, runtime: "Runtime"):
        self.runtime = runtime
        self.settings = runtime.settings
        self._pool = ThreadPoolExecutor(max_workers=self.settings.send_concurrency, thread_name_prefix="outbox")
        self.wake = threading.Event()

    # --- start-up -----------------------------------------------------------------------------
    def recover(self) -> int:
        """After a crash: a message that was `sending` may or may not have reached Zalo, so it is
        marked `uncertain` for the office rather than sent a second time; one only `claimed` was
        never handed to Zalo, so it goes back to the queue. Returns how many are uncertain."""
        with self.runtime.session() as session:
            session.execute(
                update(OutboxMessage).where(OutboxMessage.status == "claimed")
                .values(status="pending", attempts=OutboxMessage.attempts - 1)
            )
            result = session.execute(
                update(OutboxMessage).where(OutboxMessage.status == "sending")
                .values(status="uncertain", last_error="the sender stopped while sending")
            )
            return result.rowcount

    # --- one pass ------------------------------------------------------------------------------
    def deliver_due(self, now: datetime | None = None) -> int:
        """Send every message due now, each at most once a pass (a retry waits for the next pass);
        returns how many were handed to Zalo, held or failed."""
        handled, after_id = 0, 0
        while not self.runtime.stopping.is_set():  # stopping: what is claimed is sent, no more
            batch = self._claim(now or utcnow(), after_id)
            if not batch:
                return handled
            after_id = batch[-1][0]
            # In parallel across people, in order for each person.
            by_recipient: dict[str, list[int]] = {}
            for message_id, recipient in batch:
                by_recipient.setdefault(recipient, []).append(message_id)
            list(self._pool.map(self._deliver_in_order, by_recipient.values()))
            handled += len(batch)
        return handled

    def _claim(self, now: datetime, after_id: int = 0, limit: int = 500) -> list[tuple[int, str]]:
        """Mark a batch `claimed` in one conditional update: a row only one sender can win."""
        with self.runtime.session(write_lock=True) as session:
            ids = session.exec(
                select(OutboxMessage.id).where(
                    OutboxMessage.status == "pending",
                    OutboxMessage.id > after_id,
                    (OutboxMessage.not_before.is_(None)) | (OutboxMessage.not_before <= now),
                ).order_by(OutboxMessage.id).limit(limit)
            ).all()
            if not ids:
                return []
            claimed = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.status == "pending")
                .values(status="claimed", attempts=OutboxMessage.attempts + 1)
                .returning(OutboxMessage.id, OutboxMessage.zalo_user_id)
            ).all()
        return sorted((message_id, recipient) for message_id, recipient in claimed)

    # --- one message: claimed -> sending -> Zalo -> recorded -------------------------------------
    def _deliver_in_order(self, message_ids: list[int]) -> None:
        for message_id in message_ids:
            self._deliver(message_id)

    def _begin_sending(self, message_id: int) -> bool:
        """`claimed` -> `sending`, the last step before Zalo is called; False if it is no longer ours."""
        with self.runtime.session() as session:
            return session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.status == "claimed")
                .values(status="sending")
            ).rowcount == 1

    def _deliver(self, message_id: int) -> None:
        """Load what the delivery needs, send with no transaction open (Zalo may be slow), record."""
        if self.runtime.stopping.is_set():
            return  # stopping: not begun, so left `claimed`, queued again at the next start (recover)
        if not self._begin_sending(message_id):
            return
        try:
            delivery = self._load(message_id)
            self._record(delivery, self._attempt(delivery))
        except Exception:  # noqa: BLE001 - a bug must not kill the sender; the row says what happened
            log.exception("outbox message %s could not be delivered", message_id)
            self._fail_on_internal_error(message_id)

    def _load(self, message_id: int) -> Delivery:
        with self.runtime.session(read_only=True) as session:
            message = session.get(OutboxMessage, message_id)
            officer = session.get(Officer, message.officer_id) if message.officer_id else None
            if officer is None:
                officer = session.exec(select(Officer).where(Officer.zalo_user_id == message.zalo_user_id)).first()
            parts_sent = session.exec(
                select(func.count()).select_from(SentPart).where(SentPart.outbox_id == message_id)
            ).one()
        return Delivery(message, officer, parts_sent)

    def _fail_on_internal_error(self, message_id: int) -> None:
        with self.runtime.session() as session:
            session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.status == "sending")
                .values(status="failed", last_error="internal error")
            )

    # --- deciding and sending -------------------------------------------------------------------
    def _attempt(self, delivery: Delivery) -> Outcome:
        """Hold (or send a template) outside the 7-day window; otherwise send and judge any failure."""
        message = delivery.message
        if _outside_window(message, delivery.officer):
            return self._hold_or_template(message)
        try:
            return Outcome("sent", parts=self._send(delivery))
        except ZaloError as error:
            return self._on_zalo_error(message, error)
        except ZaloTransportError as error:
            if error.maybe_delivered:  # never sent again: the office decides
                return Outcome("uncertain", parts=error.sent_ids, error=str(error))
            return self._retry_later(message, str(error), error.sent_ids)

    def _send(self, delivery: Delivery) -> list[str]:
        """Hand the message to Zalo; a long text resumes after the parts an earlier attempt sent."""
        client, message = self.runtime.zalo, delivery.message
        if message.kind == "image" and message.image_path:
            attachment = client.upload_image(message.image_path)
            return [client.send_image(message.zalo_user_id, attachment, message.text)]
        return client.send_text(message.zalo_user_id, message.text, buttons=message.buttons or None,
                                quote_message_id=message.quote_message_id, skip_parts=delivery.parts_sent)

    def _on_zalo_error(self, message: OutboxMessage, error: ZaloError) -> Outcome:
        reason = f"{error.code}: {error.message}"
        if error.outside_window:
            return self._hold_or_template(message, parts=error.sent_ids)
        if error.rate_limited or error.token_invalid:
            return self._retry_later(message, reason, error.sent_ids, zalo_busy=True)
        return Outcome("failed", parts=error.sent_ids, error=reason, unreachable=error.unreachable)

    def _retry_later(self, message: OutboxMessage, error: str, parts: list[str] = (), *,
                     zalo_busy: bool = False) -> Outcome:
        """Try again after a backoff (up to 5 minutes), or give up: after `send_max_attempts` for a
        failed network call; after a day when Zalo is busy (-32) or we have no working token, since
        nothing is wrong with the message and an OA admin may be granting access again."""
        give_up = (utcnow() - message.created_at > PATIENCE if zalo_busy
                   else message.attempts >= self.settings.send_max_attempts)
        if give_up:
            return Outcome("failed", parts=list(parts), error=error)
        return Outcome("pending", parts=list(parts), error=error, not_before=utcnow() + _backoff(message.attempts))

    def _hold_or_template(self, message: OutboxMessage, parts: list[str] = ()) -> Outcome:
        """Outside the 7-day window: a configured template, otherwise hold until they write."""
        template_id = self.settings.zalo_template_id
        if not template_id:
            return Outcome("held", parts=list(parts))
        fields = template_data(self.settings.zalo_template_fields, message)
        try:
            zalo_id = self.runtime.zalo.send_template(message.zalo_user_id, template_id, fields)
        except (ZaloError, ZaloTransportError) as error:
            return Outcome("held", parts=list(parts), error=f"template: {error}")
        return Outcome("sent", parts=[*parts, zalo_id])

    # --- recording -------------------------------------------------------------------------------
    def _record(self, delivery: Delivery, outcome: Outcome) -> None:
        """Write the outcome, the parts Zalo took, and an officer found unreachable, in one transaction."""
        message, officer = delivery.message, delivery.officer
        values = _recorded_values(outcome)
        with self.runtime.session() as session:
            if outcome.status == "held" and officer is not None and self._wrote_since(session, officer):
                values["status"] = "pending"  # their message found nothing held to release: send now
            session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id).values(**values))
            for zalo_id in outcome.parts:
                session.add(SentPart(zalo_message_id=zalo_id, outbox_id=message.id))
            if outcome.unreachable and officer is not None:
                session.execute(
                    update(Officer).where(Officer.id == officer.id, Officer.unreachable_since.is_(None))
                    .values(unreachable_since=utcnow())
                )

    @staticmethod
    def _wrote_since(session: Session, officer: Officer) -> bool:
        """Did the officer interact after `officer` was read? The row lock orders this against the
        worker, which updates the officer before it releases what is held for them."""
        now = session.exec(
            select(Officer.last_interaction_at).where(Officer.id == officer.id).with_for_update()
        ).one()
        return now is not None and (officer.last_interaction_at is None or now > officer.last_interaction_at)

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def template_data(mapping: str, message: OutboxMessage) -> dict[str, str]:
    """Fill a template's fields from the message: "content=text,task=task" style mapping."""
    sources = {"text": message.text[:400], "task": f"#{message.task_id}" if message.task_id else ""}
    data = {}
    for pair in filter(None, (p.strip() for p in mapping.split(","))):
        field_name, _, source = pair.partition("=")
        data[field_name.strip()] = sources.get(source.strip(), "")
    return data
