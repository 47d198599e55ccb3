"""The sender: delivers queued messages, each exactly once.

A message is claimed with a conditional update before Zalo is called, by an owner (this
process) and for a lease, so no two senders send it twice and a starting process leaves
another live process's messages alone; a dead owner's claims lapse with their lease. When
Zalo's answer is lost the message is `uncertain` and is settled by reading the conversation
back (`zalo.reconcile`). Zalo's 7-day window and retries live here; Zalo's request rate is kept
by the client (`zalo.budget`, shared by every process), which sees every request.

People are served in parallel and each person's messages in order: a slow Zalo call to one
officer never holds up another's reply.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime, timedelta

from sqlalchemy import case, func, insert, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from storage.models import Officer, OutboxMessage, SentPart, utcnow
from zalo import held, reach, reconcile
from zalo.channels import WINDOW, text_channel
from zalo.client import split_text
from zalo.errors import ZaloError, ZaloTransportError
from zalo.outcomes import Delivery, Outcome, backoff
from zalo.parts import Parts

log = logging.getLogger(__name__)

# How long a message waits for Zalo to take it again (rate limit, token being re-granted).
PATIENCE = timedelta(days=1)
# How long a claim holds: a dead owner's messages are taken over after this (real clock).
LEASE = timedelta(minutes=5)
# How soon an uncertain message is first checked: Zalo may be in trouble for a while.
FIRST_CHECK = timedelta(seconds=30)
RETRYING = ("pending", "uncertain")  # outcomes tried again later in the same pass only once


def _outside_window(message: OutboxMessage, officer: Officer | None) -> bool:
    """Judged on the real clock. Replies go out: the person has just written to us."""
    if message.kind == "reply" or officer is None:
        return False
    last = officer.last_interaction_at
    return last is None or utcnow() - last > WINDOW


def _recorded_values(outcome: Outcome) -> dict:
    """The outbox row's new values for an outcome; the claim is released (the owner stays, as who
    handled it last)."""
    values = {"status": outcome.status, "last_error": (outcome.error or None) and outcome.error[:500],
              "lease_until": None}
    if outcome.parts:  # the first part's id, kept from an earlier attempt that sent it
        values["zalo_message_id"] = func.coalesce(OutboxMessage.zalo_message_id, outcome.parts[0])
    if outcome.status == "sent":
        values["sent_at"] = utcnow()
    if outcome.channel:
        values["channel"] = outcome.channel
    if outcome.not_before:
        values["not_before"] = outcome.not_before
    values["uncertain_since"] = (func.coalesce(OutboxMessage.uncertain_since, utcnow())
                                 if outcome.status == "uncertain" else None)
    if outcome.checked:
        values["checks"] = OutboxMessage.checks + 1
    return values


def process_name() -> str:
    """Who claims: this host and process, and a random part (a pid is reused after a restart)."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class OutboxSender:
    """Delivers queued messages: claim, send, record; never the same message twice."""

    def __init__(self, runtime: Parts):
        self.runtime = runtime
        self.settings = runtime.settings
        self.owner = process_name()
        self._pool = ThreadPoolExecutor(max_workers=self.settings.send_concurrency, thread_name_prefix="outbox")
        self.wake = runtime.outbox_bell
        self._busy: set[str] = set()  # people whose messages this process is delivering now
        self._busy_lock = threading.Lock()
        self._last_take_over = utcnow()  # `recover` runs at start; then now and then

    # --- start-up and lapsed claims ---------------------------------------------------------------
    def recover(self) -> int:
        """Take back what a dead owner left: a message only `claimed` was never handed to Zalo, so
        it goes back to the queue; one `sending` may or may not have reached Zalo, so it becomes
        `uncertain` and is checked before any resend. Only claims whose lease has lapsed are
        touched: another live process's messages are its own. Returns how many became uncertain."""
        now = utcnow()
        lapsed = OutboxMessage.lease_until.is_(None) | (OutboxMessage.lease_until < now)
        with self.runtime.session() as session:
            session.execute(
                update(OutboxMessage).where(OutboxMessage.status == "claimed", lapsed)
                .values(status="pending", attempts=OutboxMessage.attempts - 1, owner=None, lease_until=None)
            )
            result = session.execute(
                update(OutboxMessage).where(OutboxMessage.status == "sending", lapsed)
                .values(status="uncertain", last_error="the sender stopped while sending", owner=None,
                        lease_until=None, not_before=None,
                        uncertain_since=func.coalesce(OutboxMessage.uncertain_since, now))
            )
            return result.rowcount

    # --- passes ------------------------------------------------------------------------------------
    def deliver_due(self, now: datetime | None = None, *, wait_for_all: bool = True) -> int:
        """Send every message due now, each at most once a pass (a retry waits for the next pass);
        returns how many were claimed. With `wait_for_all` it returns once they are handed to Zalo,
        held or failed; without, it starts what it claimed and returns (the background loop)."""
        self._take_over_lapsed()
        handled, retried, running = 0, set(), set()
        while not self.runtime.stopping.is_set():  # stopping: no more claims
            room = 2 * self.settings.send_concurrency - len(self._busy)
            batch = self._claim(now or utcnow(), self._busy_now(), retried, room) if room > 0 else []
            running |= self._start(batch, now, retried)
            handled += len(batch)
            running = {f for f in running if not f.done()}
            if not wait_for_all or (not batch and not running):
                return handled
            if not batch:
                wait(running, return_when=FIRST_COMPLETED)
        wait(running)
        return handled

    def _take_over_lapsed(self) -> None:
        """Now and then, take back what a process that died meanwhile had claimed (`recover`)."""
        now = utcnow()
        if now - self._last_take_over < LEASE / 2:
            return
        self._last_take_over = now
        if self.recover():
            log.warning("messages of a sender that stopped while sending: to be checked")

    def _busy_now(self) -> set[str]:
        with self._busy_lock:
            return set(self._busy)

    def _start(self, batch: list[tuple[int, str]], now: datetime | None, retried: set[int]) -> set[Future]:
        """In parallel across people, in order for each person."""
        by_recipient: dict[str, list[int]] = {}
        for message_id, recipient in batch:
            by_recipient.setdefault(recipient, []).append(message_id)
        with self._busy_lock:
            self._busy |= by_recipient.keys()
        return {self._pool.submit(self._deliver_in_order, recipient, ids, now, retried)
                for recipient, ids in by_recipient.items()}

    def _claim(self, now: datetime, busy: set[str], retried: set[int], limit: int) -> list[tuple[int, str]]:
        """Claim due messages for this process in one conditional update (a row only one sender
        can win), leaving out people already being served here and retries of this pass."""
        due = (OutboxMessage.status.in_(RETRYING)
               & (OutboxMessage.not_before.is_(None) | (OutboxMessage.not_before <= now)))
        query = select(OutboxMessage.id).where(due)
        if busy:
            query = query.where(OutboxMessage.zalo_user_id.not_in(busy))
        if retried:
            query = query.where(OutboxMessage.id.not_in(retried))
        with self.runtime.session(write_lock=True) as session:
            ids = session.exec(query.order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True)).all()
            if not ids:
                return []
            claimed = session.execute(
                update(OutboxMessage).where(OutboxMessage.id.in_(ids), due)
                .values(status="claimed", owner=self.owner, lease_until=utcnow() + LEASE,
                        attempts=case((OutboxMessage.status == "pending", OutboxMessage.attempts + 1),
                                      else_=OutboxMessage.attempts))
                .returning(OutboxMessage.id, OutboxMessage.zalo_user_id)
            ).all()
        return sorted((message_id, recipient) for message_id, recipient in claimed)

    # --- one message: claimed -> sending -> Zalo -> recorded -------------------------------------
    def _deliver_in_order(self, recipient: str, message_ids: list[int], now: datetime | None,
                          retried: set[int]) -> None:
        try:
            for message_id in message_ids:
                if self.runtime.stopping.is_set():  # stopping: the rest is released (`release_claims`)
                    return
                if self._deliver(message_id, now) in RETRYING:
                    retried.add(message_id)
        finally:
            with self._busy_lock:
                self._busy.discard(recipient)
            self.wake.set()

    def _deliver(self, message_id: int, now: datetime | None = None) -> str | None:
        """Begin, send with no transaction open (Zalo may be slow), record; returns the status recorded."""
        if self.runtime.stopping.is_set():
            return None  # stopping: not begun, so left `claimed`, released or queued again at the next start
        try:
            delivery = self._begin(message_id, now)
        except OperationalError:
            raise  # the database, not the message: still `claimed`, queued again after its lease
        except Exception:  # noqa: BLE001 - a bug must not kill the sender; the row says what happened
            return self._fail_on_internal_error(message_id)
        if delivery is None:
            return None
        try:
            outcome = self._attempt(delivery)
            self._record(delivery, outcome)
            return outcome.status
        except Exception:  # noqa: BLE001 - as above
            return self._fail_on_internal_error(message_id)

    def _begin(self, message_id: int, now: datetime | None) -> Delivery | None:
        """`claimed` -> `sending`, the last step before Zalo is called, and what the delivery needs,
        in one transaction; None if the message is no longer ours."""
        parts = select(func.count()).select_from(SentPart).where(SentPart.outbox_id == message_id).scalar_subquery()
        with self.runtime.session() as session:
            begun = session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.status == "claimed",
                                            OutboxMessage.owner == self.owner)
                .values(status="sending", attempt_at=utcnow(), lease_until=utcnow() + LEASE)
                .returning(OutboxMessage, parts)
            ).first()
            if begun is None:
                return None
            message, parts_sent = begun
            officer = session.get(Officer, message.officer_id) if message.officer_id else None
            if officer is None:
                officer = session.exec(select(Officer).where(Officer.zalo_user_id == message.zalo_user_id)).first()
            known = reconcile.known_ids(session, message.zalo_user_id) if message.uncertain_since else set()
            stale = held.stale_at_sending(session, message, now or utcnow()) if not parts_sent else None
        return Delivery(message, officer, parts_sent, known, now, stale)

    def _fail_on_internal_error(self, message_id: int) -> str:
        """Ours, claimed or being sent: a bug, not Zalo, stopped it (kept `failed`, and logged)."""
        log.exception("outbox message %s could not be delivered", message_id)
        with self.runtime.session() as session:
            session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id,
                                            OutboxMessage.status.in_(("claimed", "sending")),
                                            OutboxMessage.owner == self.owner)
                .values(status="failed", last_error="internal error", owner=None, lease_until=None)
            )
        return "failed"

    # --- deciding and sending -------------------------------------------------------------------
    def _attempt(self, delivery: Delivery) -> Outcome:
        """Settle an uncertain send first; hold (or send a template) outside the 7-day window;
        otherwise send and judge any failure."""
        message = delivery.message
        if delivery.stale and message.uncertain_since is None:
            return Outcome("superseded", error=delivery.stale)
        if message.uncertain_since is not None:
            settled = self._read_back(delivery)
            if settled is not None:
                return settled
        if reach.no_link(message) or _outside_window(message, delivery.officer):
            return reach.by_template(self.runtime, delivery)
        try:
            channel = text_channel(message, delivery.officer, utcnow())
            return Outcome("sent", parts=self._send(delivery), channel=channel)
        except ZaloError as error:
            return self._on_zalo_error(delivery, error)
        except ZaloTransportError as error:
            if error.maybe_delivered:  # checked by reading the conversation back, then resent if absent
                return Outcome("uncertain", parts=error.sent_ids, error=str(error),
                               not_before=(delivery.now or utcnow()) + FIRST_CHECK)
            return self._retry_later(message, str(error), error.sent_ids, now=delivery.now)

    def _read_back(self, delivery: Delivery) -> Outcome | None:
        """Is the message whose answer was lost in the conversation? Sent when it is (or the rest
        of a long text goes next); None when it is not (send it now); a later check with backoff
        when the conversation cannot be read."""
        message = delivery.message
        if message.channel in reach.TEMPLATES:  # no conversation shows it: the office decides
            later = (delivery.now or utcnow()) + timedelta(days=1)
            return Outcome("uncertain", error=f"{message.last_error or 'answer lost'}; cannot be checked",
                           not_before=later,
                           checked=True, channel=message.channel)
        text = reconcile.awaited_text(message, delivery.parts_sent)
        if text is None:  # every part is known to have arrived
            return Outcome("sent", checked=True, channel="text")
        try:
            found = reconcile.find_delivered(self.runtime.zalo, message.zalo_user_id, text, delivery.known)
        except (ZaloError, ZaloTransportError) as error:
            later = (delivery.now or utcnow()) + backoff(message.checks + 1)
            return Outcome("uncertain", error=f"read-back failed: {error}", not_before=later, checked=True)
        if found is None:
            return None
        more = message.kind != "image" and delivery.parts_sent + 1 < len(split_text(message.text))
        return Outcome("pending" if more else "sent", parts=[found], checked=True, channel="text")

    def _send(self, delivery: Delivery) -> list[str]:
        """Hand the message to Zalo; a long text resumes after the parts an earlier attempt sent."""
        client, message = self.runtime.zalo, delivery.message
        if message.kind == "image" and message.image_path:
            attachment = client.upload_image(message.image_path)
            return [client.send_image(message.zalo_user_id, attachment, message.text)]
        return client.send_text(message.zalo_user_id, message.text, buttons=message.buttons or None,
                                quote_message_id=message.quote_message_id, skip_parts=delivery.parts_sent)

    def _on_zalo_error(self, delivery: Delivery, error: ZaloError) -> Outcome:
        message, now = delivery.message, delivery.now
        reason = f"{error.code}: {error.message}"
        if error.outside_window:
            return reach.by_template(self.runtime, delivery, parts=error.sent_ids)
        if error.rate_limited or error.token_invalid:
            return self._retry_later(message, reason, error.sent_ids, zalo_busy=True, now=now)
        return Outcome("failed", parts=error.sent_ids, error=reason, unreachable=error.unreachable)

    def _retry_later(self, message: OutboxMessage, error: str, parts: list[str] = (), *,
                     zalo_busy: bool = False, now: datetime | None = None) -> Outcome:
        """Try again after a backoff (up to 5 minutes), or give up: after `send_max_attempts` for a
        failed network call; after a day when Zalo is busy (-32) or we have no working token, since
        nothing is wrong with the message and an OA admin may be granting access again."""
        give_up = ((now or utcnow()) - message.created_at > PATIENCE if zalo_busy
                   else message.attempts >= self.settings.send_max_attempts)
        if give_up:
            return Outcome("failed", parts=list(parts), error=error)
        return Outcome("pending", parts=list(parts), error=error,
                       not_before=(now or utcnow()) + backoff(message.attempts))

    # --- recording -------------------------------------------------------------------------------
    def _record(self, delivery: Delivery, outcome: Outcome) -> None:
        """Write the outcome, the parts Zalo took, and an officer found unreachable, in one transaction."""
        message, officer = delivery.message, delivery.officer
        values = _recorded_values(outcome)
        with self.runtime.session() as session:
            if outcome.status == "held" and officer is not None and self._wrote_since(session, officer):
                values["status"] = "pending"  # their message found nothing held to release: send now
            # Plain statements: nothing in this session is to be kept in step, nor flushed.
            session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id).values(**values)
                            .execution_options(synchronize_session=False))
            if outcome.parts:
                session.execute(insert(SentPart.__table__),
                                [{"zalo_message_id": zalo_id, "outbox_id": message.id} for zalo_id in outcome.parts])
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
        self.release_claims()

    def release_claims(self) -> int:
        """On a clean stop: what this process claimed but never handed to Zalo goes back to the
        queue at once (not after its lease), for whichever process runs next."""
        with self.runtime.session() as session:
            return session.execute(
                update(OutboxMessage).where(OutboxMessage.status == "claimed", OutboxMessage.owner == self.owner)
                .values(status="pending", attempts=OutboxMessage.attempts - 1, lease_until=None)
            ).rowcount

