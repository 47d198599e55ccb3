"""The background work of a process: the event worker and the sender may run in different
processes (`nhacviec worker --no-sender` beside `nhacviec worker --no-events`), each its own GIL."""

from __future__ import annotations

import time

from sqlmodel import func, select

from bot import make_runtime
from dev.processes import wait_for
from storage.inbox import move_inbox
from storage.models import InboundEvent, OutboxMessage
from tests.fixtures.chat import signed_post, text_event

BINH = "5000000000000000005"


def _count(runtime, model, *where) -> int:
    with runtime.session(read_only=True) as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def test_the_event_worker_answers_and_another_process_sends_the_reply(client, settings, engine, fake_zalo, directory):
    events_only = make_runtime(settings, engine=engine, zalo=fake_zalo)
    sender_only = make_runtime(settings, engine=engine, zalo=fake_zalo)
    try:
        events_only.start_background(outbox=False)
        assert signed_post(client, text_event(BINH, "việc của tôi")).status_code == 200
        assert wait_for(lambda: _count(events_only, OutboxMessage, OutboxMessage.status == "pending") == 1, 10)
        time.sleep(0.3)  # the reply stays queued: this process does not send
        assert fake_zalo.texts_to(BINH) == []
        events_only.stop()
        sender_only.start_background(events=False)
        assert wait_for(lambda: len(fake_zalo.texts_to(BINH)) == 1, 10)
        assert "việc" in fake_zalo.texts_to(BINH)[0]
        signed_post(client, text_event(BINH, "giúp"))
        move_inbox(engine)
        time.sleep(0.3)  # the sender's process handles no events
        assert _count(sender_only, InboundEvent, InboundEvent.status == "pending") == 1
    finally:
        events_only.stop()
        sender_only.stop()
