"""What the sender, the event worker and the reach rules share of a running process: the
settings, the database, the Zalo client, the stop signal, and the bell that wakes the sender.

`zalo.runtime.Runtime` is one; the parts below the runtime take this type, so none of them
imports the runtime that builds them.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager

from sqlalchemy.engine import Engine
from sqlmodel import Session

from config.settings import Settings
from storage.db import session_scope


class Parts:
    def __init__(self, settings: Settings, engine: Engine, zalo):
        self.settings = settings
        self.engine = engine
        self.zalo = zalo
        self.stopping = threading.Event()
        self.outbox_bell = threading.Event()  # set when messages were queued: the sender looks at once

    def session(self, *, read_only: bool = False, write_lock: bool = False) -> AbstractContextManager[Session]:
        return session_scope(self.engine, read_only=read_only, write_lock=write_lock)
