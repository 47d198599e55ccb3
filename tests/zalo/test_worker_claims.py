"""Several workers share the event queue: each event handled once, each officer's in order."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import select

from bot import create_app, make_runtime
from storage.db import make_engine
from storage.models import InboundEvent, OutboxMessage
from tests.fixtures.chat import signed_post, text_event
from tests.fixtures.db import both_databases
from tests.fixtures.fake_zalo import RecordingZalo


@both_databases
def test_two_workers_handle_every_event_once_and_each_users_in_order(settings, engine, runtime):
    client = create_app(settings, runtime=runtime).test_client()
    users = [f"70000000000000000{n:02d}" for n in range(12)]
    for round_ in range(8):
        for user in users:
            assert signed_post(client, text_event(user, f"giúp {round_}")).status_code == 200
    other_engine = make_engine(settings.database_url)
    workers = [runtime.worker, make_runtime(settings, engine=other_engine, zalo=RecordingZalo()).worker]
    counts: list[int] = []
    threads = [threading.Thread(target=lambda w=w: counts.append(w.process_pending())) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    other_engine.dispose()
    assert sum(counts) == len(users) * 8
    with runtime.session(read_only=True) as session:
        assert set(session.exec(select(InboundEvent.status)).all()) == {"done"}
        replies = session.exec(select(OutboxMessage.zalo_user_id, OutboxMessage.idempotency_key)
                               .order_by(OutboxMessage.id)).all()
    for user in users:
        event_ids = [int(key.split(":")[1]) for who, key in replies if who == user]
        assert len(set(event_ids)) == 8 and event_ids == sorted(event_ids), user


@pytest.mark.parametrize("db_backend", ["postgresql"], indirect=True)  # SQLite has one writer: nothing is skipped
def test_a_worker_waits_out_another_workers_claim_instead_of_leaving_the_events_behind(settings, engine, runtime):
    """Another worker's claim locks an officer's oldest events, finds it may not take them, and lets
    go: this worker, which skipped them and so could take none of the officer's later ones either,
    looks again instead of leaving every event pending until its next poll."""
    client = create_app(settings, runtime=runtime).test_client()
    for round_ in range(4):
        assert signed_post(client, text_event("7000000000000000200", f"giúp {round_}")).status_code == 200
    other_engine = make_engine(settings.database_url)
    with other_engine.connect() as other:
        other.execute(select(InboundEvent.id).order_by(InboundEvent.id).limit(2).with_for_update())
        threading.Timer(0.3, other.rollback).start()
        handled = runtime.worker.process_pending()
    other_engine.dispose()
    assert handled == 4


def test_an_event_that_fails_is_marked_failed_and_the_others_of_its_batch_are_handled(settings, engine):
    """A handler bug on one event: the batch is redone event by event, the bad one kept as `failed`."""
    import handlers
    from zalo.runtime import Runtime

    class Exploding(handlers.Conversation):
        def __call__(self, session, settings, event, officer, now):
            if event["message"]["text"] == "boom":
                raise RuntimeError("a bug in a handler")
            return super().__call__(session, settings, event, officer, now)

    runtime = Runtime(settings, engine=engine, zalo=RecordingZalo(), dispatch=Exploding())
    client = create_app(settings, runtime=runtime).test_client()
    for n, text in enumerate(["giúp", "boom", "giúp", "giúp"]):
        assert signed_post(client, text_event(f"700000000000000010{n}", text)).status_code == 200
    assert runtime.worker.process_pending() == 3
    with runtime.session(read_only=True) as session:
        rows = session.exec(select(InboundEvent.status, InboundEvent.error).order_by(InboundEvent.id)).all()
        replies = session.exec(select(OutboxMessage.zalo_user_id)).all()
    assert [status for status, _ in rows] == ["done", "failed", "done", "done"]
    assert "a bug in a handler" in rows[1][1]
    assert len(set(replies)) == 3
    runtime.stop()


@both_databases
def test_messages_handled_in_one_batch_each_see_what_the_one_before_left(settings, engine, runtime, directory):
    """The conversation's memory (misunderstandings in a row) is read once for a batch and kept
    current by each of its events: the fourth message below is a first misunderstanding again."""
    from handlers import replies

    client = create_app(settings, runtime=runtime).test_client()
    user = "5000000000000000005"
    for text in ("xyz abc", "giúp", "xyz abc", "xyz abc"):
        assert signed_post(client, text_event(user, text)).status_code == 200
    runtime.worker.batch_seconds = 60  # one batch, however slow this machine is
    assert runtime.worker.process_pending() == 4
    with runtime.session(read_only=True) as session:
        texts = session.exec(select(OutboxMessage.text).where(OutboxMessage.zalo_user_id == user)
                             .order_by(OutboxMessage.id)).all()
    assert texts[0] == texts[2] == replies.NOT_UNDERSTOOD_ONCE
    assert texts[3] != replies.NOT_UNDERSTOOD_ONCE and "giúp" in texts[3].lower()  # the second in a row
