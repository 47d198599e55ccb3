"""Zalo's request budget, shared by every process that calls Zalo (docs/zalo.md, rate limit).

Zalo counts requests per app, whichever process sends them, so the budget lives in the database:
one row holds the next free request slot. A process reserves a few consecutive slots in one
short transaction and sleeps until each of its slots comes; slots are spaced evenly, aiming just
under the limit: 1% under, or more when the window is so short (a test's) that 1% is less than
the half second by which requests may bunch up on their way (and Zalo counts on its own clock).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from storage.db import session_scope
from storage.models import RateBudget, utcnow

HEADROOM = 0.99
BUNCHING_SECONDS = 0.6  # how far a request may drift from its slot on a busy machine
BUDGET_NAME = "zalo"


def slot_interval(per_window: int, window_seconds: float = 60.0) -> float:
    """Seconds between two requests so that no window holds more than `per_window` of them."""
    return window_seconds / (per_window * min(HEADROOM, 1 - BUNCHING_SECONDS / window_seconds))


class SharedBudget:
    """Spaces calls evenly across every process drawing on the same database row."""

    def __init__(self, engine: Engine, per_window: int, window_seconds: float = 60.0, name: str = BUDGET_NAME):
        self.engine = engine
        self.name = name
        self.interval = timedelta(seconds=slot_interval(per_window, window_seconds))
        # Slots taken per round trip: one at low limits, a few at Zalo's 4,000 a minute.
        self.block = max(1, int(per_window * 60 / window_seconds) // 600)
        self._slots: deque[datetime] = deque()
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Return when this caller's slot has come."""
        with self._lock:
            now = utcnow()
            while self._slots and self._slots[0] < now - self.interval * self.block:
                self._slots.popleft()  # kept too long unused: taking them now would bunch requests
            if not self._slots:
                self._slots.extend(self._reserve(now))
            slot = self._slots.popleft()
        delay = (slot - utcnow()).total_seconds()
        if delay > 0:
            time.sleep(delay)

    def _reserve(self, now: datetime) -> list[datetime]:
        try:
            return self._reserve_once(now)
        except IntegrityError:  # another process created the row at the same moment: it exists now
            return self._reserve_once(now)

    def _reserve_once(self, now: datetime) -> list[datetime]:
        """Take the next `block` slots from the shared row, in one transaction under its lock."""
        with session_scope(self.engine, write_lock=True) as session:
            row = session.exec(select(RateBudget).where(RateBudget.name == self.name).with_for_update()).first()
            if row is None:
                row = RateBudget(name=self.name, next_slot=now)
            start = max(row.next_slot, now)
            row.next_slot = start + self.interval * self.block
            session.add(row)
        return [start + self.interval * i for i in range(self.block)]
