"""The webhook's inbox on SQLite: Zalo gets its answer while the worker holds the database's write
lock; the worker moves each event in once, in arrival order; /healthz sees what waits there."""

from __future__ import annotations

import sqlite3
import time
from datetime import timedelta

import pytest
from sqlmodel import func, select

from storage.inbox import inbox_engine, inbox_path, move_inbox, waiting
from storage.models import InboundEvent, utcnow
from tests.fixtures.chat import signed_post, text_event

LAM = "5000000000000000001"
sqlite_only = pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)  # one writer per file


@sqlite_only
def test_the_webhook_answers_while_the_database_is_locked_and_the_worker_handles_it_after(client, runtime,
                                                                                        directory, fake_zalo):
    database = sqlite3.connect(runtime.engine.url.database, isolation_level=None)
    database.execute("BEGIN IMMEDIATE")  # the worker (or anything) in the middle of a write
    try:
        begun = time.monotonic()
        answers = [signed_post(client, text_event(LAM, text)).status_code for text in ("việc của tôi", "giúp")]
        answered_in = time.monotonic() - begun
    finally:
        database.execute("ROLLBACK")
        database.close()
    assert answers == [200, 200] and answered_in < 1  # the lock is the database's, not the inbox's
    assert waiting(runtime.engine)[0] == 2

    assert runtime.worker.process_pending() == 2
    runtime.sender.deliver_due()
    texts = [m.text for m in fake_zalo.sent if m.user_id == LAM]
    assert len(texts) == 2 and texts[0].startswith("Anh/chị không có việc nào") and "giúp" in texts[1]
    assert waiting(runtime.engine) == (0, None)


@sqlite_only
def test_a_move_repeated_after_a_crash_records_each_event_once_in_arrival_order(client, runtime, directory):
    for text in ("một", "hai", "ba"):
        assert signed_post(client, text_event(LAM, text)).status_code == 200
    box = inbox_engine(runtime.engine)
    with box.connect() as connection:  # the inbox as it stood before the move
        kept = connection.exec_driver_sql("SELECT id, event_key, event FROM inbox ORDER BY id").all()
    assert move_inbox(runtime.engine) == 3
    with box.begin() as connection:  # a crash after the database committed, before the inbox was emptied
        connection.exec_driver_sql("INSERT INTO inbox (id, event_key, event) VALUES (?, ?, ?)", tuple(kept[0]))
    assert move_inbox(runtime.engine) == 1
    with runtime.session(read_only=True) as session:
        texts = [e.payload["message"]["text"] for e in session.exec(select(InboundEvent).order_by(InboundEvent.id))]
    assert texts == ["một", "hai", "ba"]
    assert str(inbox_path(runtime.engine)) == runtime.engine.url.database + ".inbox"


@sqlite_only
def test_healthz_counts_events_in_the_inbox_and_says_when_they_wait_too_long(client, runtime, directory):
    assert signed_post(client, text_event(LAM, "việc của tôi")).status_code == 200
    health = client.get("/healthz").get_json()
    assert health["checks"]["events_pending"] == 1
    box = inbox_engine(runtime.engine)
    with box.begin() as connection:  # as if no worker had run for ten minutes
        row = connection.exec_driver_sql("SELECT event FROM inbox").scalar()
        old = row.replace(row.split('"received_at": "')[1].split('"')[0],
                          (utcnow() - timedelta(minutes=10)).isoformat())
        connection.exec_driver_sql("UPDATE inbox SET event = ?", (old,))
    late = client.get("/healthz")
    assert late.status_code == 503 and "waited more than 2 minutes" in late.get_data(as_text=True)


@pytest.mark.parametrize("db_backend", ["postgresql"], indirect=True)
def test_on_postgresql_the_webhook_records_straight_into_the_database(client, runtime, directory):
    assert inbox_path(runtime.engine) is None
    assert signed_post(client, text_event(LAM, "việc của tôi")).status_code == 200
    with runtime.session(read_only=True) as session:
        assert session.exec(select(func.count()).select_from(InboundEvent)).one() == 1
    assert waiting(runtime.engine) == (0, None) and move_inbox(runtime.engine) == 0
