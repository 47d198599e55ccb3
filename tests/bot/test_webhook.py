"""The webhook: verify, record once, answer at once; nothing else for what fails."""

from __future__ import annotations

import json
import logging
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from sqlmodel import func, select

from dev.standin.hashing import signature_header  # signed as Zalo signs, not by the code that checks
from storage.inbox import move_inbox
from storage.models import InboundEvent, Officer, OutboxMessage
from tests.fixtures.chat import TEST_APP_ID, TEST_OA_SECRET, signed_post, text_event
from tests.fixtures.db import both_databases

BINH = "5000000000000000005"


def stored_events(runtime) -> int:
    """Events recorded, wherever the webhook put them (on SQLite its inbox, moved by the worker)."""
    move_inbox(runtime.engine)
    with runtime.session() as session:
        return session.exec(select(func.count()).select_from(InboundEvent)).one()


def test_unsigned_setup_probe_gets_200_and_nothing_is_stored(client, runtime):
    response = client.post("/zalo/webhook", data=b"{}", content_type="application/json")
    assert response.status_code == 200
    assert stored_events(runtime) == 0


def test_wrong_signature_is_refused_logged_and_not_stored(client, runtime, caplog):
    event = text_event(BINH, "việc của tôi")
    with caplog.at_level(logging.WARNING):
        response = signed_post(client, event, secret="not-the-oa-secret")
    assert response.status_code == 401
    assert stored_events(runtime) == 0
    assert any("signature" in r.getMessage() for r in caplog.records)


def test_missing_signature_on_an_event_is_refused(client, runtime):
    raw = json.dumps(text_event(BINH, "xong 1")).encode()
    response = client.post("/zalo/webhook", data=raw, content_type="application/json")
    assert response.status_code == 401
    assert stored_events(runtime) == 0


def test_signature_is_checked_over_the_raw_bytes_not_reserialised_json(client, runtime):
    event = text_event(BINH, "việc của tôi")
    raw = json.dumps(event, ensure_ascii=True, indent=3).encode()  # other bytes, same JSON
    header = signature_header(TEST_APP_ID, raw, event["timestamp"], TEST_OA_SECRET)
    ok = client.post("/zalo/webhook", data=raw, headers={"X-ZEvent-Signature": header.removeprefix("mac=")})
    assert ok.status_code == 200
    tampered = raw.replace(b"vi", b"Vi", 1)
    bad = client.post("/zalo/webhook", data=tampered, headers={"X-ZEvent-Signature": header})
    assert bad.status_code == 401
    assert stored_events(runtime) == 1


def test_event_for_another_app_is_refused(client, runtime):
    event = text_event(BINH, "việc của tôi") | {"app_id": "someone-else"}
    assert signed_post(client, event).status_code == 401
    assert stored_events(runtime) == 0


def test_oversized_body_is_refused(client, runtime):
    event = text_event(BINH, "x" * (65 * 1024))
    assert signed_post(client, event).status_code == 413
    assert stored_events(runtime) == 0


def test_non_json_is_refused(client, runtime):
    response = client.post("/zalo/webhook", data=b"event_name=user_send_text", headers={"X-ZEvent-Signature": "mac=00"})
    assert response.status_code == 400
    assert stored_events(runtime) == 0


def statuses(runtime) -> list[tuple[str, str | None]]:
    move_inbox(runtime.engine)
    with runtime.session() as session:
        return [tuple(row) for row in session.exec(select(InboundEvent.status, InboundEvent.error)
                                                   .order_by(InboundEvent.id)).all()]


def test_events_that_cannot_be_recorded_are_refused_as_malformed(client, runtime, caplog):
    no_name = text_event(BINH, "hi")
    del no_name["event_name"]
    no_timestamp = text_event(BINH, "hi")
    del no_timestamp["timestamp"]
    long_name = text_event(BINH, "hi") | {"event_name": "user_send_" + "x" * 100}
    with caplog.at_level(logging.WARNING):
        for event in (no_name, no_timestamp, long_name):
            assert signed_post(client, event).status_code == 400, event
    assert stored_events(runtime) == 0
    assert sum("malformed" in r.getMessage() for r in caplog.records) == 3


@both_databases
def test_signed_events_without_a_user_id_or_of_odd_shapes_get_200_and_are_only_recorded(chat, runtime):
    """Zalo redelivers what fails and disables a failing webhook: a signed event is always answered 200."""
    no_text = text_event(BINH, "hi")
    del no_text["message"]["text"]
    no_sender = text_event(BINH, "hi")
    del no_sender["sender"]
    shapes = [{"sender": "5000000000000000005"}, {"sender": {"id": 5000}}, {"sender": {"id": {"a": 1}}},
              {"sender": {"id": "9" * 200}}, {"event_name": "follow", "follower": ["5000000000000000005"]}]
    events = [no_text, no_sender, *(text_event(BINH, f"hi {n}") | change for n, change in enumerate(shapes))]
    for event in events:
        assert chat.send_event(event) == [], event
    recorded = statuses(runtime)
    assert len(recorded) == len(events) and all(status == "ignored" and why for status, why in recorded)
    with runtime.session() as session:
        assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0


def test_kinds_the_bot_does_not_know_get_200_and_are_recorded_for_the_log(chat, runtime, caplog):
    kinds = ["change_oa_template_tags", "change_template_quality", "user_reacted_message", "update_user_info",
             "oa_permission_changed"]
    with caplog.at_level(logging.INFO):
        for n, kind in enumerate(kinds):
            event = {"app_id": TEST_APP_ID, "event_name": kind, "timestamp": text_event(BINH, "")["timestamp"],
                     "oa_id": "test-oa", "data": {"n": n}}
            assert chat.send_event(event) == []
    assert statuses(runtime) == [("ignored", "a kind the bot does not handle")] * len(kinds)
    assert all(any(kind in r.getMessage() for r in caplog.records) for kind in kinds)


def test_events_more_than_a_day_away_are_refused_as_too_old(client, runtime, caplog):
    now_ms = int(time.time() * 1000)
    day_ms = 24 * 3600 * 1000
    with caplog.at_level(logging.WARNING):
        for stamp in (now_ms - day_ms - 60_000, now_ms + day_ms + 60_000):
            assert signed_post(client, text_event(BINH, "hi") | {"timestamp": str(stamp)}).status_code == 400
        assert signed_post(client, text_event(BINH, "hi") | {"timestamp": "soon"}).status_code == 400
    assert stored_events(runtime) == 0
    messages = [r.getMessage() for r in caplog.records]
    assert sum("too old" in m for m in messages) == 2 and sum("malformed" in m for m in messages) == 1
    almost_a_day = text_event(BINH, "hi") | {"timestamp": str(now_ms - day_ms + 60_000)}
    assert signed_post(client, almost_a_day).status_code == 200


def test_unsigned_events_are_refused_and_the_log_says_unsigned(client, runtime, caplog):
    raw = json.dumps(text_event(BINH, "xong 1")).encode()
    with caplog.at_level(logging.WARNING):
        assert client.post("/zalo/webhook", data=raw, content_type="application/json").status_code == 401
    assert any("unsigned" in r.getMessage() for r in caplog.records)
    assert stored_events(runtime) == 0


def signed_raw(client, raw: bytes, timestamp: str):
    header = signature_header(TEST_APP_ID, raw, timestamp, TEST_OA_SECRET)
    return client.post("/zalo/webhook", data=raw, headers={"X-ZEvent-Signature": header})


@both_databases
def test_hostile_json_is_refused_at_the_edge_with_400_never_500(client, runtime):
    """The inputs that gave 500s (issue 11): deep nesting, lone surrogates, NUL, NaN, Infinity, 1e999."""
    stamp = text_event(BINH, "")["timestamp"]
    head = f'{{"app_id":"{TEST_APP_ID}","event_name":"user_send_text","timestamp":"{stamp}",'
    bodies = [
        head + '"sender":{"id":"1"},"message":{"text":' + "[" * 1000 + "]" * 1000 + "}}",
        head + '"sender":{"id":"\\ud800"},"message":{"text":"hi"}}',
        head + '"sender":{"id":"50\\u0000"},"message":{"text":"hi"}}',
        head + '"sender":{"id":"5"},"message":{"text":"hi"},"n":NaN}',
        head + '"sender":{"id":"5"},"message":{"text":"hi"},"n":-Infinity}',
        head + '"sender":{"id":"5"},"message":{"text":"hi"},"n":1e999}',
        head + '"sender":{"id":"5"},"message":{"text":"hi\\u0000"}}',
        head + '"sender":{"id":"5"},"message":{"text":"\\udfff x"}}',
    ]
    for body in bodies:
        assert signed_raw(client, body.encode(), stamp).status_code == 400, body[:120]
    assert client.post("/zalo/webhook", data=b"[" * 30_000 + b"]" * 30_000).status_code == 400  # unsigned too
    assert stored_events(runtime) == 0


@both_databases
def test_redelivered_event_is_handled_once(chat, fake_zalo, caplog):
    event = text_event(BINH, "giúp")
    with caplog.at_level(logging.INFO, logger="bot.webhook"):
        first = chat.send_event(event)
        assert "redelivered" not in caplog.text  # a new event is not taken for a redelivery
        again = chat.send_event(event)  # Zalo's retry: identical bytes
    assert first and again == []
    assert stored_events(chat.runtime) == 1


def test_echo_and_receipt_events_never_reach_the_handlers(chat, fake_zalo):
    echo = {"app_id": TEST_APP_ID, "event_name": "oa_send_text", "timestamp": text_event(BINH, "")["timestamp"],
            "sender": {"id": "test-oa", "admin_id": "42"}, "recipient": {"id": BINH},
            "message": {"msg_id": "m1", "text": "xong 1"}}
    seen = {"app_id": TEST_APP_ID, "event_name": "user_seen_message", "timestamp": text_event(BINH, "")["timestamp"],
            "sender": {"id": "test-oa"}, "recipient": {"id": BINH}, "message": {"msg_ids": ["m1"]}}
    assert chat.send_event(echo) == []
    assert chat.send_event(seen) == []
    with chat.runtime.session() as session:
        assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0


def test_a_user_message_updates_the_last_interaction(chat):
    with chat.runtime.session() as session:
        before = session.exec(select(Officer).where(Officer.zalo_user_id == BINH)).one().last_interaction_at
    chat.say("Phạm Thị Bình", "giúp")
    with chat.runtime.session() as session:
        after = session.exec(select(Officer).where(Officer.zalo_user_id == BINH)).one().last_interaction_at
    assert before is None and after is not None and after.tzinfo is not None


def test_healthz_says_503_when_the_database_does_not_answer(settings, fake_zalo):
    from bot import create_app, make_runtime

    broken = settings.with_overrides(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    app = create_app(broken, runtime=make_runtime(broken, zalo=fake_zalo))
    assert app.test_client().get("/healthz").status_code == 503


@pytest.mark.parametrize("db_backend", ["postgresql"], indirect=True)  # a server that can drop connections
def test_zalo_still_gets_its_answer_after_postgresql_dropped_every_connection(client, runtime, directory):
    assert signed_post(client, text_event(BINH, "giúp")).status_code == 200
    outside = create_engine(runtime.engine.url, poolclass=NullPool)
    with outside.connect() as connection:  # every connection of the app's pool dropped, as a restart would
        dropped = connection.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                          "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    assert dropped >= 1
    assert signed_post(client, text_event(BINH, "việc của tôi")).status_code == 200
    assert stored_events(runtime) == 2
