"""What `/healthz` and `/metrics` read from the database: the state every process shares.

Read from the database rather than kept in memory, so the web process reports the worker's and
the scheduler's work too, whichever process (or host) does it. Each is one cheap query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import select

from storage.inbox import waiting
from storage.models import Heartbeat, InboundEvent, OutboxMessage, ZaloToken, utcnow

# The sweep runs every minute: five minutes without one means the scheduler is not running.
SWEEP_LATE = timedelta(minutes=5)
# A message due this long ago and still waiting: delivery is stuck (Zalo, the token, the worker).
OUTBOX_LATE = timedelta(minutes=10)
# Events recorded this long ago and not handled: the worker is not running.
EVENTS_LATE = timedelta(minutes=2)
ZALO_CODE = re.compile(r"Zalo error (-?\d+)")


@dataclass
class Health:
    checks: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _age(at: datetime | None, now: datetime) -> float | None:
    return None if at is None else round((now - at).total_seconds(), 1)


def health(session, now: datetime | None = None) -> Health:
    """The state behind `/healthz`: a problem is named for each part that is wrong."""
    now = now or utcnow()
    result = Health()
    swept = session.get(Heartbeat, "sweep")
    result.checks["last_sweep_seconds_ago"] = _age(swept.at if swept else None, now)
    if swept is not None and now - swept.at > SWEEP_LATE:
        result.problems.append("the scheduler has not swept for more than 5 minutes")
    backlog, oldest = session.exec(
        select(func.count(), func.min(func.coalesce(OutboxMessage.not_before, OutboxMessage.created_at)))
        .where(OutboxMessage.status.in_(("pending", "claimed")))).one()
    held = session.exec(select(func.count()).where(OutboxMessage.status == "held")).one()
    result.checks.update(outbox_backlog=backlog, outbox_oldest_due_seconds_ago=_age(oldest, now), outbox_held=held)
    if oldest is not None and now - oldest > OUTBOX_LATE:
        result.problems.append("messages have waited more than 10 minutes to be sent")
    events, first = session.exec(select(func.count(), func.min(InboundEvent.received_at))
                                 .where(InboundEvent.status == "pending")).one()
    in_inbox, first_in_inbox = waiting(session.get_bind())  # not yet moved from the webhook's inbox
    first = min(filter(None, (first, first_in_inbox)), default=None)
    result.checks.update(events_pending=events + in_inbox)
    if first is not None and now - first > EVENTS_LATE:
        result.problems.append("Zalo's events have waited more than 2 minutes to be handled")
    token = session.get(ZaloToken, 1)
    # A pair seeded from the settings has an unknown age (stored with expires_at = updated_at): the
    # token job refreshes it soon; only a pair Zalo gave us can be known to have expired.
    known = token is not None and token.expires_at != token.updated_at
    result.checks["zalo_token_expires_in_seconds"] = -_age(token.expires_at, now) if known else None
    if known and token.expires_at <= now:
        result.problems.append("the Zalo access token has expired: renew it in the console («Kết nối Zalo»)")
    return result


def counts(session, now: datetime | None = None) -> dict:
    """The numbers `/metrics` exports: events by status, messages by status and kind, Zalo's error
    codes on messages, requests to Zalo in the last minute (the rate budget used)."""
    now = now or utcnow()
    events = dict(session.exec(select(InboundEvent.status, func.count()).group_by(InboundEvent.status)).all())
    messages = session.exec(select(OutboxMessage.status, OutboxMessage.kind, func.count())
                            .group_by(OutboxMessage.status, OutboxMessage.kind)).all()
    errors: dict[str, int] = {}
    for text, number in session.exec(select(OutboxMessage.last_error, func.count())
                                     .where(OutboxMessage.last_error.is_not(None))
                                     .group_by(OutboxMessage.last_error)).all():
        match = ZALO_CODE.search(text or "")
        code = match.group(1) if match else "transport"
        errors[code] = errors.get(code, 0) + number
    last_minute = session.exec(select(func.count()).where(OutboxMessage.status == "sent",
                                                          OutboxMessage.sent_at > now - timedelta(minutes=1))).one()
    return {"events": events, "messages": messages, "zalo_errors": errors, "sent_last_minute": last_minute}
