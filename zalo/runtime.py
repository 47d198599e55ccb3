"""The running parts of one process: settings, database, Zalo client, event worker and sender.

The web app, the worker and the scheduler share one `Runtime`. The conversation is handed in
as `dispatch` (the composition root in `bot` does it), so nothing here imports the handlers.
"""

from __future__ import annotations

import logging
import threading
from functools import partial

from flask import current_app
from sqlalchemy.engine import Engine

from config.settings import Settings
from storage.db import make_engine
from zalo.client import ZaloClient
from zalo.parts import Parts
from zalo.sender import OutboxSender
from zalo.worker import Dispatch, EventWorker

log = logging.getLogger(__name__)

# How often the event worker looks for recorded events when nobody woke it.
EVENT_POLL_SECONDS = 0.05


class Runtime(Parts):
    def __init__(self, settings: Settings, engine: Engine | None = None, zalo=None, dispatch: Dispatch | None = None):
        engine = engine or make_engine(settings.database_url)
        super().__init__(settings, engine, zalo or ZaloClient(settings, engine))
        # Without a conversation to dispatch to (the scheduler alone), no events are handled here.
        self.worker = EventWorker(self, dispatch) if dispatch else None
        self.sender = OutboxSender(self)
        self._threads: list[threading.Thread] = []

    def start_background(self, *, events: bool = True, outbox: bool = True) -> None:
        """Start the event worker and the outbox sender threads (once), or one of them."""
        if self._threads:
            return
        loops = []
        if outbox:
            recovered = self.sender.recover()
            if recovered:
                log.warning("%s message(s) were being sent when the last process stopped: to be checked", recovered)
            loops.append(("outbox", partial(self.sender.deliver_due, wait_for_all=False), self.sender.wake, 1.0))
        if events and self.worker is not None:
            # Events are recorded by the web process, maybe another one: looked for often (a cheap read).
            loops.append(("events", self.worker.process_pending, self.worker.wake, EVENT_POLL_SECONDS))
        for name, work, wake, poll in loops:
            thread = threading.Thread(target=keep_running, args=(work, wake, self.stopping, poll), name=name,
                                      daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self.stopping.set()
        if self.worker is not None:
            self.worker.wake.set()
        self.sender.wake.set()
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads.clear()
        self.sender.close()


def keep_running(work, wake: threading.Event, stop: threading.Event, poll_seconds: float = 1.0) -> None:
    """Do `work` whenever woken, and at least every `poll_seconds` (other processes queue too)."""
    while not stop.is_set():
        try:
            work()
        except Exception:  # noqa: BLE001 - keep the loop alive; the next pass retries
            log.exception("%s failed", getattr(work, "__qualname__", "background work"))
        wake.wait(poll_seconds)
        wake.clear()


def current_runtime() -> Runtime:
    return current_app.extensions["nhacviec"]
