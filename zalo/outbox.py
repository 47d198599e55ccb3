"""The outbox: the one way out. Replies, reminders and summaries are queued here, then sent once
by `zalo.sender.OutboxSender`.

Idempotency lives in `OutboxMessage.idempotency_key` (unique): queuing a key twice queues it
once. What was held for an officer outside Zalo's 7-day window is folded into one message when
they write again (`zalo.held`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, select

from storage.bulk import insert_new
from storage.models import UNCERTAIN_STUCK_AFTER, OutboxMessage, SentPart, utcnow
from zalo.messages import Outgoing

# Sent to an officer who writes again after messages were held for them.
HELD_HEADER = "Trong thời gian anh/chị chưa nhắn cho Nhắc Việc, có {count} tin chờ gửi:"


def enqueue_many(session: Session, items: list[tuple[str, Outgoing]], *,
                 not_before: datetime | None = None) -> dict[str, int]:
    """Queue (key, message) pairs in one statement; returns {key: outbox id} of those queued now.

    A key queued before (by this or a concurrent process) is skipped: nothing is sent twice.
    """
    if not items:
        return {}
    created = utcnow()
    rows = [{
        "idempotency_key": key,
        "zalo_user_id": outgoing.zalo_user_id,
        "officer_id": outgoing.officer_id,
        "kind": outgoing.kind,
        "text": outgoing.text,
        "buttons": [{"title": b.title, "payload": b.payload} for b in outgoing.buttons],
        "image_path": outgoing.image_path,
        "task_id": outgoing.task_id,
        "quote_message_id": outgoing.quote_message_id,
        "status": "pending",
        "attempts": 0,
        "created_at": created,
        "not_before": not_before,
    } for key, outgoing in items]
    return dict(insert_new(session, OutboxMessage.__table__, rows, "idempotency_key", "idempotency_key", "id"))


def enqueue(session: Session, key: str, outgoing: Outgoing, *, not_before: datetime | None = None) -> OutboxMessage | None:
    """Queue one message under `key`; None when that key was queued before."""
    queued = enqueue_many(session, [(key, outgoing)], not_before=not_before)
    return session.get(OutboxMessage, queued[key]) if key in queued else None


def resend_uncertain(session: Session, message_id: int, now: datetime) -> bool:
    """The office decided: send again a message whose arrival Zalo could not confirm for over an
    hour (docs/zalo.md, uncertain answers). False when it is not such a message (any more)."""
    resent = session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.status == "uncertain",
                                    OutboxMessage.uncertain_since < now - UNCERTAIN_STUCK_AFTER)
        .values(status="pending", uncertain_since=None, not_before=None, last_error="gửi lại theo lệnh quản trị")
    )
    return resent.rowcount == 1


def task_for_message(session: Session, zalo_message_id: str) -> int | None:
    """The task a message we sent was about (for a "Trả lời" that quotes it)."""
    return session.exec(
        select(OutboxMessage.task_id).join(SentPart, SentPart.outbox_id == OutboxMessage.id)
        .where(SentPart.zalo_message_id == zalo_message_id)
    ).first()
