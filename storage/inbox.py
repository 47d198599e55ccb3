"""Where the webhook records an event: on SQLite, a file of its own (the inbox) beside the database.

SQLite lets one writer at a time into a file. The webhook is what Zalo waits on, and the worker
holds the database's write lock while it handles events, so the webhook writes each verified
event into `<database>.inbox` instead (one short INSERT, alone in its file), and the worker moves
the inbox into `inboundevent` before it handles them: in arrival order, each event once (the
unique `event_key` ignores a second copy, so a move repeated after a crash changes nothing), and
only then removes them from the inbox. Nothing waits anywhere else: an event is on disk in one
of the two files before Zalo has its answer.

On PostgreSQL (and an in-memory SQLite) there is no inbox: the webhook inserts into
`inboundevent` directly, and rows lock one by one.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, delete, event, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine

from storage.db import insert_ignoring_duplicate, make_engine, session_scope, write_promptly
from storage.models import InboundEvent

_metadata = MetaData()
inbox = Table(
    "inbox", _metadata,
    Column("id", Integer, primary_key=True),
    Column("event_key", String(64), nullable=False, unique=True),
    Column("event", Text, nullable=False),  # the `inboundevent` row's values, as JSON
)
# Events moved per transaction of the database: the worker's write lock stays short.
MOVE_LIMIT = 200

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def inbox_path(engine: Engine) -> Path | None:
    """The inbox file beside a SQLite database file; None where there is no inbox."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return None
    database = Path(engine.url.database)
    return database.with_name(database.name + ".inbox")


def inbox_engine(engine: Engine) -> Engine | None:
    """The inbox of `engine`'s database (made on first use), or None."""
    path = inbox_path(engine)
    if path is None:
        return None
    with _engines_lock:
        if str(path) not in _engines:
            made = make_engine(f"sqlite:///{path}")
            _metadata.create_all(made)
            _engines[str(path)] = made
            event.listen(engine, "engine_disposed", lambda _engine: _forget(str(path)))
        return _engines[str(path)]


def _forget(path: str) -> None:
    """The database's engine was disposed: so is its inbox's (its connections closed)."""
    with _engines_lock:
        made = _engines.pop(path, None)
    if made is not None:
        made.dispose()


def _encoded(values: dict) -> str:
    return json.dumps({key: value.isoformat() if isinstance(value, datetime) else value
                       for key, value in values.items()}, ensure_ascii=False)


def _decoded(text: str) -> dict:
    values = json.loads(text)
    for key in ("received_at", "handled_at"):
        if values.get(key):
            values[key] = datetime.fromisoformat(values[key])
    return values


def record_event(engine: Engine, values: dict) -> bool:
    """Record one verified event (the values of an `inboundevent` row); False when the same
    event (same `event_key`) is already waiting."""
    box = inbox_engine(engine)
    if box is None:
        return insert_ignoring_duplicate(engine, InboundEvent.__table__, values, "event_key")
    return insert_ignoring_duplicate(box, inbox, {"event_key": values["event_key"], "event": _encoded(values)},
                                     "event_key")


def move_inbox(engine: Engine, limit: int = MOVE_LIMIT) -> int:
    """Move the oldest waiting events into `inboundevent` (see the module doc); returns how many."""
    box = inbox_engine(engine)
    if box is None:
        return 0
    with box.connect() as connection:
        rows = connection.execute(select(inbox.c.id, inbox.c.event).order_by(inbox.c.id).limit(limit)).all()
    if not rows:
        return 0
    with session_scope(engine, write_lock=True) as session:
        session.execute(sqlite_insert(InboundEvent.__table__).on_conflict_do_nothing(index_elements=["event_key"]),
                        [_decoded(event) for _, event in rows])
    write_promptly(box, delete(inbox).where(inbox.c.id <= rows[-1].id))
    return len(rows)


def waiting(engine: Engine) -> tuple[int, datetime | None]:
    """Events recorded by the webhook and not yet moved to the database: how many, and when the
    oldest arrived."""
    box = inbox_engine(engine)
    if box is None:
        return 0, None
    with box.connect() as connection:
        count = connection.execute(select(func.count()).select_from(inbox)).scalar_one()
        first = connection.execute(select(inbox.c.event).order_by(inbox.c.id).limit(1)).scalar()
    return count, _decoded(first)["received_at"] if first else None
