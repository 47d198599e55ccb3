"""The sender: each message sent once, held outside Zalo's 7-day window, retried within bounds."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import select

from bot import make_runtime
from storage.models import OutboxMessage, utcnow
from tests.fixtures.db import both_databases
from tests.fixtures.fake_zalo import SentMessage
from tests.zalo.helpers import BINH, officer, queue, set_last_interaction, status
from zalo.errors import ZaloError, ZaloTransportError
from zalo.messages import Button, Outgoing
from zalo.outbox import enqueue


def test_buttons_reach_the_client(runtime, directory, fake_zalo):
    set_last_interaction(runtime, utcnow())
    queue(runtime, "k", buttons=(Button("Xong #7", "xong 7"),))
    runtime.sender.deliver_due()
    assert fake_zalo.sent[0].buttons == [{"title": "Xong #7", "payload": "xong 7"}]


def test_outside_the_window_a_configured_template_is_used(settings, engine, directory, fake_zalo):
    runtime = make_runtime(settings.with_overrides(zalo_template_id="tpl-1", zalo_template_fields="noi_dung=text"),
                      engine=engine, zalo=fake_zalo)
    set_last_interaction(runtime, utcnow() - timedelta(days=9))
    queue(runtime, "r1", text="Nhắc việc #1")
    runtime.sender.deliver_due()
    assert fake_zalo.sent[0].kind == "template:tpl-1"
    assert "Nhắc việc #1" in fake_zalo.sent[0].text
    assert status(runtime, "r1").status == "sent"


def test_zalo_refusing_for_the_window_holds_instead_of_retrying(runtime, directory, fake_zalo):
    set_last_interaction(runtime, utcnow())
    fake_zalo.fail_next.append(ZaloError(-230, "User has not interacted with the OA in the past 7 days"))
    queue(runtime, "r1")
    runtime.sender.deliver_due()
    assert status(runtime, "r1").status == "held"


def test_rate_limited_is_retried_later_then_sent(runtime, directory, fake_zalo):
    set_last_interaction(runtime, utcnow())
    fake_zalo.fail_next.append(ZaloError(-32, "rate limit"))
    queue(runtime, "r1")
    runtime.sender.deliver_due()
    row = status(runtime, "r1")
    assert row.status == "pending" and row.not_before > utcnow()
    runtime.sender.deliver_due(now=row.not_before + timedelta(seconds=1))
    assert status(runtime, "r1").status == "sent"
    assert fake_zalo.texts_to(BINH) == ["Nhắc việc #7"]


def test_retries_are_bounded(settings, engine, directory, fake_zalo):
    runtime = make_runtime(settings.with_overrides(send_max_attempts=2), engine=engine, zalo=fake_zalo)
    set_last_interaction(runtime, utcnow())
    fake_zalo.fail_next += [ZaloTransportError("could not connect", maybe_delivered=False)] * 3
    queue(runtime, "r1")
    later = utcnow() + timedelta(hours=1)
    runtime.sender.deliver_due()
    runtime.sender.deliver_due(now=later)
    assert status(runtime, "r1").status == "failed"
    assert status(runtime, "r1").attempts == 2


def test_without_a_working_token_messages_wait_for_a_new_grant_for_a_day(settings, engine, directory, fake_zalo):
    runtime = make_runtime(settings.with_overrides(send_max_attempts=2), engine=engine, zalo=fake_zalo)
    set_last_interaction(runtime, utcnow())
    dead_token = ZaloError(-216, "access token invalid", refresh_failed=True)
    fake_zalo.fail_next += [dead_token] * 4
    queue(runtime, "r1")
    for hour in range(1, 5):  # more tries than send_max_attempts: a dead token is not the message's fault
        runtime.sender.deliver_due(now=utcnow() + timedelta(hours=hour))
        assert status(runtime, "r1").status == "pending"
    runtime.sender.deliver_due(now=utcnow() + timedelta(hours=5))  # an OA admin granted access again
    assert status(runtime, "r1").status == "sent"

    with runtime.session() as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.idempotency_key == "r1")).one()
        row.status, row.created_at, row.not_before = "pending", utcnow() - timedelta(days=2), None
        session.add(row)
    fake_zalo.fail_next.append(dead_token)
    runtime.sender.deliver_due(now=utcnow() + timedelta(hours=1))
    assert status(runtime, "r1").status == "failed"  # a day is the limit


def test_a_follower_who_blocked_the_oa_is_marked_unreachable_not_retried(runtime, directory, fake_zalo):
    set_last_interaction(runtime, utcnow())
    fake_zalo.fail_next.append(ZaloError(-217, "user blocked the OA"))
    queue(runtime, "r1")
    runtime.sender.deliver_due()
    assert status(runtime, "r1").status == "failed"
    assert officer(runtime).unreachable_since is not None


def test_an_answer_lost_in_transit_is_checked_and_not_resent_when_it_arrived(runtime, directory, fake_zalo):
    set_last_interaction(runtime, utcnow())
    fake_zalo.lost_answers = 1  # Zalo took the message, its answer was lost
    queue(runtime, "r1")
    runtime.sender.deliver_due()
    assert status(runtime, "r1").status == "uncertain"
    runtime.sender.deliver_due(now=utcnow() + timedelta(minutes=1))
    row = status(runtime, "r1")
    assert (row.status, row.zalo_message_id, row.uncertain_since) == ("sent", fake_zalo.sent[0].message_id, None)
    assert fake_zalo.texts_to(BINH) == ["Nhắc việc #7"]


def test_a_refused_request_whose_answer_was_garbled_is_sent_again_once(runtime, directory, fake_zalo):
    set_last_interaction(runtime, utcnow())
    fake_zalo.fail_next.append(ZaloTransportError("HTTP 502", maybe_delivered=True))  # it never arrived
    queue(runtime, "r1")
    runtime.sender.deliver_due()
    runtime.sender.deliver_due(now=utcnow() + timedelta(minutes=1))
    runtime.sender.deliver_due(now=utcnow() + timedelta(minutes=2))
    assert status(runtime, "r1").status == "sent"
    assert fake_zalo.texts_to(BINH) == ["Nhắc việc #7"]


def test_while_the_conversation_cannot_be_read_the_check_is_retried_with_backoff(runtime, directory, fake_zalo):
    set_last_interaction(runtime, utcnow())
    fake_zalo.lost_answers = 1
    fake_zalo.fail_reads += [ZaloTransportError("HTTP 503", maybe_delivered=True)] * 3
    queue(runtime, "r1")
    runtime.sender.deliver_due()
    waits = []
    at = utcnow()
    for _ in range(3):
        at = status(runtime, "r1").not_before
        runtime.sender.deliver_due(now=at)
        row = status(runtime, "r1")
        assert row.status == "uncertain"
        waits.append(row.not_before - at)
    assert waits == sorted(waits) and waits[0] < waits[-1]  # backing off
    runtime.sender.deliver_due(now=status(runtime, "r1").not_before)
    assert status(runtime, "r1").status == "sent" and status(runtime, "r1").checks == 4
    assert fake_zalo.texts_to(BINH) == ["Nhắc việc #7"]


@both_databases
def test_killed_between_queuing_and_sending_the_next_process_sends_it_once(settings, engine, directory, fake_zalo):
    first = make_runtime(settings, engine=engine, zalo=fake_zalo)
    set_last_interaction(first, utcnow())
    queue(first, "r1")  # ... and the process dies here, before its sender ran
    restarted = make_runtime(settings, engine=engine, zalo=fake_zalo)
    restarted.sender.recover()
    restarted.sender.deliver_due()
    restarted.sender.deliver_due()
    assert fake_zalo.texts_to(BINH) == ["Nhắc việc #7"]


def lapse_claims(runtime) -> None:
    """The owner died: its claims' lease runs out."""
    with runtime.session() as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.owner.is_not(None))
                        .values(lease_until=utcnow() - timedelta(seconds=1)))


def test_killed_while_sending_the_message_is_checked_then_sent_once(settings, engine, directory, fake_zalo):
    first = make_runtime(settings, engine=engine, zalo=fake_zalo)
    set_last_interaction(first, utcnow())
    queue(first, "r1")
    [(message_id, _)] = first.sender._claim(utcnow(), set(), set(), 10)
    assert first.sender._begin(message_id, None)  # ... and the process dies during the HTTP call
    restarted = make_runtime(settings, engine=engine, zalo=fake_zalo)
    assert restarted.sender.recover() == 0  # its lease still holds: another live process's message
    lapse_claims(first)
    assert restarted.sender.recover() == 1
    assert status(restarted, "r1").status == "uncertain"
    restarted.sender.deliver_due()
    assert status(restarted, "r1").status == "sent"
    assert fake_zalo.texts_to(BINH) == ["Nhắc việc #7"]  # it had not gone out: the read-back said so


@both_databases
def test_killed_after_claiming_a_batch_the_messages_not_yet_sent_are_sent_by_the_next_process(
        settings, engine, directory, fake_zalo):
    first = make_runtime(settings, engine=engine, zalo=fake_zalo)
    set_last_interaction(first, utcnow())
    for n in range(3):
        queue(first, f"r{n}", text=f"tin {n}")
    claimed = first.sender._claim(utcnow(), set(), set(), 10)
    assert first.sender._begin(claimed[0][0], None)  # the first is with Zalo when the process dies
    fake_zalo.sent.append(SentMessage(BINH, "tin 0", message_id="zalo-took-it"))  # ... and Zalo took it
    restarted = make_runtime(settings, engine=engine, zalo=fake_zalo)
    restarted.sender.deliver_due()
    assert fake_zalo.texts_to(BINH) == ["tin 0"]  # a live process's claims are left alone
    lapse_claims(first)
    assert restarted.sender.recover() == 1
    restarted.sender.deliver_due()
    assert fake_zalo.texts_to(BINH) == ["tin 0", "tin 1", "tin 2"]
    assert [status(restarted, f"r{n}").status for n in range(3)] == ["sent", "sent", "sent"]
    assert status(restarted, "r0").zalo_message_id == "zalo-took-it"
    assert status(restarted, "r1").attempts == 1


@both_databases
def test_two_senders_at_once_send_each_message_once(settings, engine, directory, fake_zalo):
    import threading

    first = make_runtime(settings, engine=engine, zalo=fake_zalo)
    set_last_interaction(first, utcnow())
    for n in range(40):
        queue(first, f"r{n}", text=f"tin {n}")
    second = make_runtime(settings, engine=engine, zalo=fake_zalo)
    threads = [threading.Thread(target=r.sender.deliver_due) for r in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(fake_zalo.texts_to(BINH)) == sorted(f"tin {n}" for n in range(40))


def test_messages_to_one_person_arrive_in_the_order_they_were_queued(settings, engine, directory):
    import random
    import time

    from tests.fixtures.fake_zalo import RecordingZalo

    class SlowZalo(RecordingZalo):
        def send_text(self, user_id, text, **kwargs):
            time.sleep(random.uniform(0, 0.01))
            return super().send_text(user_id, text, **kwargs)

    zalo = SlowZalo()
    runtime = make_runtime(settings, engine=engine, zalo=zalo)
    people = ["5000000000000000005", "5000000000000000007", "5000000000000000008"]
    with runtime.session() as session:
        for n in range(60):
            enqueue(session, f"m{n}", Outgoing(people[n % 3], f"{people[n % 3]}:{n}", kind="reply"))
    runtime.sender.deliver_due()
    for person in people:
        numbers = [int(t.split(":")[1]) for t in zalo.texts_to(person)]
        assert numbers == sorted(numbers) and len(numbers) == 20


def test_a_long_text_cut_short_by_the_rate_limit_resumes_after_the_parts_already_sent(
        settings, engine, directory, standin_factory):
    from zalo.client import split_text

    standin = standin_factory(RATE_LIMIT_PER_MINUTE=1)  # the first part goes out, the second gets -32
    standin.state.touch(BINH)
    runtime = make_runtime(settings.with_overrides(**standin.settings_overrides()), engine=engine)
    set_last_interaction(runtime, utcnow())
    text = "\n".join(f"Dòng {n}: " + "x" * 90 for n in range(30))
    queue(runtime, "long", text=text)
    runtime.sender.deliver_due()
    first_try = status(runtime, "long")
    assert first_try.status == "pending" and len(standin.state.messages(BINH)) == 1
    standin.state.set_rate_limit(4000)
    runtime.sender.deliver_due(now=first_try.not_before + timedelta(seconds=1))
    assert [m["text"] for m in standin.state.messages(BINH)] == split_text(text)
    assert status(runtime, "long").zalo_message_id == standin.state.messages(BINH)[0]["message_id"]
    runtime.stop()


def test_a_hold_decided_while_the_officer_wrote_to_us_is_sent_not_left_held(settings, engine, directory):
    """Zalo refuses for the window; before that is recorded the officer writes (nothing held yet to release)."""
    from tests.fixtures.fake_zalo import RecordingZalo
    from zalo.held import release_held

    class RefusedWhileTheyWrite(RecordingZalo):
        def send_text(self, user_id, text, **kwargs):
            if not self.sent and not getattr(self, "refused", False):
                self.refused = True
                set_last_interaction(runtime, utcnow())  # what the worker does as their message arrives
                with runtime.session() as session:
                    assert release_held(session, BINH, settings, utcnow()) is None
                raise ZaloError(-230, "User has not interacted with the OA in the past 7 days")
            return super().send_text(user_id, text, **kwargs)

    zalo = RefusedWhileTheyWrite()
    runtime = make_runtime(settings, engine=engine, zalo=zalo)
    set_last_interaction(runtime, utcnow() - timedelta(days=6))
    queue(runtime, "r1")
    runtime.sender.deliver_due()
    runtime.sender.deliver_due()
    assert status(runtime, "r1").status == "sent"
    assert zalo.texts_to(BINH) == ["Nhắc việc #7"]


def test_a_clean_stop_gives_back_at_once_what_it_claimed_but_never_sent(settings, engine, directory, fake_zalo):
    first = make_runtime(settings, engine=engine, zalo=fake_zalo)
    set_last_interaction(first, utcnow())
    for n in range(3):
        queue(first, f"r{n}", text=f"tin {n}")
    assert len(first.sender._claim(utcnow(), set(), set(), 10)) == 3
    first.stop()  # SIGTERM before any was sent
    assert [status(first, f"r{n}").status for n in range(3)] == ["pending"] * 3
    restarted = make_runtime(settings, engine=engine, zalo=fake_zalo)
    restarted.sender.deliver_due()  # at once: no lease to wait for
    assert fake_zalo.texts_to(BINH) == ["tin 0", "tin 1", "tin 2"]
    assert status(restarted, "r0").attempts == 1
    restarted.stop()
