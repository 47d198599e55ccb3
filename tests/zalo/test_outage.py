"""A bad hour at Zalo loses no reminder and sends none twice, over real HTTP to the stand-in.

The stand-in answers every request badly for ten minutes of the sweep's clock: a 503 before
doing anything, a 500 after sending, a body that is not JSON, success without a message id, an
answer too late for the read timeout. Reminders fall due meanwhile. Then Zalo recovers.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlmodel import select

from bot import make_runtime
from scheduler.sweep import run_due_work
from storage.models import Officer, OutboxMessage, utcnow
from tests.fixtures.scheduler import local, publish_seed
from zalo.client import split_text

FAULTS = ("refuse", "lose", "garbage", "no_id", "slow", "lose", "refuse")


def test_ten_minutes_of_zalo_failing_then_every_reminder_arrives_exactly_once(settings, engine, directory,
                                                                             standin_factory):
    standin = standin_factory(SLOW_FAULT_SECONDS=0.6)
    runtime = make_runtime(settings.with_overrides(**standin.settings_overrides(), http_read_timeout=0.3,
                                                   http_connect_timeout=0.5), engine=engine)
    try:
        with runtime.session() as session:
            for officer in session.exec(select(Officer).where(Officer.zalo_user_id.is_not(None))):
                officer.last_interaction_at = utcnow()
                standin.state.touch(officer.zalo_user_id)
                session.add(officer)
        publish_seed(runtime)
        runtime.sender.deliver_due()  # anything the publication itself queued, before the outage
        before = len(standin.state.messages())

        standin.state.set_faults(*FAULTS)
        start = local("02-17 15:00")  # the meeting reminders fall due at 15:00
        for minute in range(0, 11):
            run_due_work(runtime, start + timedelta(minutes=minute))
        with runtime.session(read_only=True) as session:
            due = session.exec(select(OutboxMessage).where(OutboxMessage.created_at >= utcnow() - timedelta(hours=1),
                                                           OutboxMessage.status != "sent")).all()
        assert due, "reminders fell due during the outage"
        standin.state.set_faults()
        for minute in range(11, 40):
            run_due_work(runtime, start + timedelta(minutes=minute))

        with runtime.session(read_only=True) as session:
            rows = session.exec(select(OutboxMessage)).all()
        assert {r.status for r in rows} == {"sent"}, [(r.id, r.status, r.last_error) for r in rows if r.status != "sent"]
        expected = Counter((r.zalo_user_id, part) for r in rows for part in split_text(r.text))
        arrived = Counter((m["user_id"], m["text"]) for m in standin.state.messages())
        assert arrived == expected  # every part of every message once, none twice
        assert len(standin.state.messages()) - before >= len(due)
        assert any(r.checks for r in rows)  # some were settled by reading the conversation back
    finally:
        runtime.stop()


def test_a_slow_zalo_call_to_one_officer_does_not_hold_up_another_officers_reply(settings, engine, directory,
                                                                                standin):
    import time

    from tests.zalo.helpers import BINH, USER
    from zalo.messages import Outgoing
    from zalo.outbox import enqueue

    runtime = make_runtime(settings.with_overrides(**standin.settings_overrides()), engine=engine)
    for user in (BINH, USER):
        standin.state.touch(user)
    standin.state.set_user_latency(BINH, 3.0)
    runtime.start_background()
    try:
        with runtime.session() as session:
            enqueue(session, "slow", Outgoing(BINH, "Tổng hợp tuần", kind="reply"))
        runtime.sender.wake.set()
        time.sleep(0.5)  # Bình's call is with Zalo now
        asked = time.monotonic()
        with runtime.session() as session:
            enqueue(session, "fast", Outgoing(USER, "Việc của anh/chị: #7", kind="reply"))
        runtime.sender.wake.set()
        while not standin.state.messages(USER) and time.monotonic() - asked < 5:
            time.sleep(0.02)
        waited = time.monotonic() - asked
        assert standin.state.messages(USER) and waited < 1.5, waited
        with runtime.session(read_only=True) as session:  # Bình's answer has not come back yet
            assert session.exec(select(OutboxMessage.status).where(OutboxMessage.idempotency_key == "slow")).one() \
                == "sending"
    finally:
        runtime.stop()


def test_a_reminder_retried_after_its_meeting_began_is_dropped_and_the_log_says_why(runtime, directory, fake_zalo):
    from tests.fixtures.scheduler import local, publish_seed
    from zalo.errors import ZaloTransportError

    with runtime.session() as session:
        for officer in session.exec(select(Officer).where(Officer.zalo_user_id.is_not(None))):
            officer.last_interaction_at = utcnow()
            session.add(officer)
    publish_seed(runtime)
    fake_zalo.fail_next += [ZaloTransportError("could not connect", maybe_delivered=False)] * 50
    run_due_work(runtime, local("02-18 11:00"))  # the call for the 13h30 meeting: Zalo unreachable
    fake_zalo.fail_next.clear()
    runtime.sender.deliver_due(now=local("02-18 13:31"))  # Zalo is back once the meeting has begun
    with runtime.session(read_only=True) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reminder")).all()
    assert rows and all(r.status == "superseded" and "đã bắt đầu" in r.last_error for r in rows)
    assert not [m for m in fake_zalo.sent if m.text.startswith("Nhắc việc #")]
