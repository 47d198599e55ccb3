"""Killing the server loses nothing and sends nothing twice."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import requests
from sqlmodel import select

from bot import make_runtime
from dev.processes import free_port, start_serve, wait_for
from dev.standin.hashing import signature_header  # signed as Zalo signs, not by the code that checks
from storage.db import make_engine, session_scope
from storage.models import InboundEvent, OutboxMessage
from tests.fixtures.chat import text_event

ROOT = Path(__file__).resolve().parents[2]
BINH = "5000000000000000005"


def test_killed_between_recording_an_event_and_answering_it(app, settings, engine, directory, fake_zalo):
    from bot.webhook import _record

    event = text_event(BINH, "giúp")
    raw = json.dumps(event, ensure_ascii=False).encode()
    with app.app_context():
        _record(event, raw, None)  # recorded ... and the process dies before answering Zalo
    restarted = make_runtime(settings, engine=engine, zalo=fake_zalo)
    assert restarted.worker.process_pending() == 1  # picked up on start
    restarted.sender.deliver_due()
    assert len(fake_zalo.texts_to(BINH)) == 1

    # Zalo got no answer, so it redelivers the same bytes: answered, not handled again.
    client = app.test_client()
    header = signature_header(event["app_id"], raw, event["timestamp"], settings.zalo_oa_secret_key)
    assert client.post("/zalo/webhook", data=raw, headers={"X-ZEvent-Signature": header}).status_code == 200
    assert restarted.worker.process_pending() == 0
    restarted.sender.deliver_due()
    assert len(fake_zalo.texts_to(BINH)) == 1
    with restarted.session(read_only=True) as session:
        assert [e.status for e in session.exec(select(InboundEvent))] == ["done"]


def test_killed_between_queuing_and_sending_a_reply_is_sent_once_after_restart(standin, settings, engine, directory, tmp_path):
    db_url = settings.database_url
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "DATABASE_URL": db_url,
           **{k.upper(): v for k, v in standin.settings_overrides().items()}}
    # First life: Zalo cannot be reached, so the reply waits in the outbox.
    dead_zalo = f"http://127.0.0.1:{free_port()}"
    port = free_port()
    server = start_serve(env | {"ZALO_API_BASE": dead_zalo, "ZALO_OAUTH_BASE": dead_zalo}, port)
    try:
        event = text_event(BINH, "giúp")
        raw = json.dumps(event, ensure_ascii=False).encode()
        header = signature_header(event["app_id"], raw, event["timestamp"], standin.oa_secret_key)
        answer = requests.post(f"http://127.0.0.1:{port}/zalo/webhook", data=raw,
                               headers={"X-ZEvent-Signature": header}, timeout=5)
        assert answer.status_code == 200
        assert wait_for(lambda: _outbox_states(settings) == ["pending"], 10)  # tried once, waiting to retry
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()

    # Second life: Zalo answers; the queued reply goes out exactly once.
    standin.state.touch(BINH)
    server = start_serve(env, port)
    try:
        assert wait_for(lambda: len(standin.state.messages(BINH)) >= 1, 20)
        time.sleep(1.5)
        assert len(standin.state.messages(BINH)) == 1
        assert _outbox_states(settings) == ["sent"]
    finally:
        server.send_signal(signal.SIGTERM)  # how systemd stops it: a clean stop
        assert server.wait(timeout=15) == 0


def _outbox_states(settings) -> list[str]:
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine, read_only=True) as session:
            return [m.status for m in session.exec(select(OutboxMessage))]
    finally:
        engine.dispose()
