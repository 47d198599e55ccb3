"""What one delivery attempt needs and what it came to (shared by the sender and `zalo.reach`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from storage.models import Officer, OutboxMessage, utcnow


@dataclass(frozen=True)
class Outcome:
    """What one delivery attempt came to."""

    status: str  # sent, pending (retry later), held, failed, uncertain
    parts: list[str] = field(default_factory=list)
    error: str = ""
    not_before: datetime | None = None
    unreachable: bool = False
    checked: bool = False  # the conversation was read back (or tried) to settle an uncertain send
    channel: str | None = None


@dataclass(frozen=True)
class Delivery:
    """What one delivery needs, read before Zalo is called."""

    message: OutboxMessage
    officer: Officer | None
    parts_sent: int  # parts of a long text delivered by an earlier attempt (cut short by -32, say)
    known: set[str] = field(default_factory=set)  # our Zalo ids to that person (for a read-back)
    now: datetime | None = None  # the pass's clock (`tick --at`); the window is judged on the real one
    stale: str | None = None  # why what it announces is no longer ahead (zalo.held.stale_at_sending)

    @property
    def clock(self) -> datetime:
        return self.now or utcnow()


def backoff(attempts: int) -> timedelta:
    """The wait before the next try: 5 s, doubling, at most 5 minutes."""
    return timedelta(seconds=min(300, 5 * 2 ** max(0, attempts - 1)))
