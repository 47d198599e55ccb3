"""Three ways to reach an officer, over real HTTP to the stand-in (docs/zalo.md, channels): a text
in the window, a template by Zalo user id outside it, a ZNS template by phone with no link or
when the template is refused; ZNS waits for 06:00 at night; nothing goes twice across a restart."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from sqlmodel import select

from bot import make_runtime
from storage.models import Officer, OutboxMessage, utcnow
from tests.zalo.helpers import BINH, set_last_interaction
from zalo.channels import no_link_key
from zalo.messages import Button, Outgoing
from zalo.outbox import enqueue

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CHAU = "Hoàng Minh Châu"  # no Zalo link; 0900000006 in the directory
CHAU_PHONE = "84900000006"
REMINDER = "Nhắc việc #7: nộp báo cáo — hạn hôm nay (Tuần 7). Trả lời «xong 7» khi hoàn thành."


class Clock:
    """The stand-in's clock and the sweep's, moved together by the test."""

    def __init__(self, at: datetime | None = None):
        self.at = at

    def __call__(self) -> datetime:
        return self.at or utcnow()


def start(settings, engine, standin_factory, clock=None, **standin_config):
    standin = standin_factory(NOW=clock, **standin_config)
    runtime = make_runtime(settings.with_overrides(**standin.settings_overrides(), zalo_template_id="TPL",
                                                   zalo_zns_template_id="ZNS"), engine=engine)
    return standin, runtime


def queue_for(runtime, name: str, key: str = "r1", text: str = REMINDER) -> int:
    with runtime.session() as session:
        officer = session.exec(select(Officer).where(Officer.full_name == name)).one()
        recipient = officer.zalo_user_id or no_link_key(officer.id)
        return enqueue(session, key, Outgoing(recipient, text, (Button("Xong #7", "xong 7"),),
                                              officer_id=officer.id, kind="reminder")).id


def row(runtime, message_id: int) -> OutboxMessage:
    with runtime.session(read_only=True) as session:
        return session.get(OutboxMessage, message_id)


def test_a_kind_of_message_goes_by_its_own_template_when_one_is_named(settings, engine, directory, standin_factory):
    standin, runtime = start(settings, engine, standin_factory)
    runtime.settings = runtime.settings.with_overrides(zalo_template_kinds="summary=TPL-TUAN, overdue=TPL-QUAHAN")
    set_last_interaction(runtime, utcnow() - timedelta(days=9))
    queue_for(runtime, "Phạm Thị Bình", key="r1")
    with runtime.session() as session:
        officer = session.exec(select(Officer).where(Officer.full_name == "Phạm Thị Bình")).one()
        enqueue(session, "s1", Outgoing(BINH, "Tổng hợp tuần: 3 việc đang mở.", officer_id=officer.id,
                                        kind="summary"))
    runtime.sender.deliver_due()
    firsts = [m["text"].split("\n", 1)[0] for m in standin.state.messages(BINH)]
    assert firsts == ["[Tin mẫu TPL]", "[Tin mẫu TPL-TUAN]"]  # the reminder by the default, the summary by its own
    runtime.stop()


def test_inside_the_window_a_text_with_buttons(settings, engine, directory, standin_factory):
    standin, runtime = start(settings, engine, standin_factory)
    standin.state.touch(BINH)
    set_last_interaction(runtime, utcnow())
    message_id = queue_for(runtime, "Phạm Thị Bình")
    runtime.sender.deliver_due()
    [sent] = standin.state.messages(BINH)
    assert (sent["kind"], sent["buttons"][0]["payload"]) == ("text", "xong 7")
    assert (row(runtime, message_id).status, row(runtime, message_id).channel) == ("sent", "text")
    runtime.stop()


def test_outside_the_window_the_user_id_template_says_no_word_of_buttons(settings, engine, directory,
                                                                         standin_factory):
    standin, runtime = start(settings, engine, standin_factory)
    set_last_interaction(runtime, utcnow() - timedelta(days=9))
    message_id = queue_for(runtime, "Phạm Thị Bình")
    runtime.sender.deliver_due()
    [sent] = standin.state.messages(BINH)
    assert sent["kind"] == "template" and "so_viec: #7" not in sent["text"]  # no task row: the gist only
    assert "nộp báo cáo" in sent["text"] and "bấm" not in sent["text"].lower() and "«" not in sent["text"]
    assert (row(runtime, message_id).status, row(runtime, message_id).channel) == ("sent", "template")
    runtime.stop()


def test_an_officer_with_no_link_gets_the_phone_template(settings, engine, directory, standin_factory):
    clock = Clock(datetime(2025, 2, 18, 9, 0, tzinfo=ZONE))
    standin, runtime = start(settings, engine, standin_factory, clock)
    message_id = queue_for(runtime, CHAU)
    runtime.sender.deliver_due(now=clock.at)
    [sent] = standin.state.phone_messages(CHAU_PHONE)
    assert sent["text"].startswith("[Tin mẫu ZNS]") and "nộp báo cáo" in sent["text"]
    assert (row(runtime, message_id).status, row(runtime, message_id).channel) == ("sent", "zns")
    runtime.stop()


def test_at_half_past_ten_at_night_the_phone_template_waits_for_six(settings, engine, directory, standin_factory):
    clock = Clock(datetime(2025, 2, 18, 22, 30, tzinfo=ZONE))
    standin, runtime = start(settings, engine, standin_factory, clock)
    message_id = queue_for(runtime, CHAU)
    runtime.sender.deliver_due(now=clock.at)
    waiting = row(runtime, message_id)
    assert waiting.status == "pending" and waiting.not_before == datetime(2025, 2, 19, 6, 0, tzinfo=ZONE)
    assert standin.state.request_count("/message/template") == 0  # not even tried at night
    clock.at = datetime(2025, 2, 19, 5, 59, tzinfo=ZONE)
    runtime.sender.deliver_due(now=clock.at)
    assert row(runtime, message_id).status == "pending"
    clock.at = datetime(2025, 2, 19, 6, 0, tzinfo=ZONE)
    runtime.sender.deliver_due(now=clock.at)
    assert row(runtime, message_id).status == "sent" and len(standin.state.phone_messages(CHAU_PHONE)) == 1
    runtime.stop()


def test_a_refused_template_falls_back_to_the_phone_and_the_log_keeps_why(settings, engine, directory,
                                                                         standin_factory):
    clock = Clock(datetime(2025, 2, 18, 9, 0, tzinfo=ZONE))
    standin, runtime = start(settings, engine, standin_factory, clock, TEMPLATES=())  # none approved
    set_last_interaction(runtime, utcnow() - timedelta(days=9))
    message_id = queue_for(runtime, "Phạm Thị Bình")
    runtime.sender.deliver_due(now=clock.at)
    sent = row(runtime, message_id)
    assert (sent.status, sent.channel) == ("sent", "zns") and "template refused: -240" in sent.last_error
    assert standin.state.messages(BINH) == [] and len(standin.state.phone_messages("84900000005")) == 1
    runtime.stop()


def test_refused_everywhere_the_message_is_held_with_zalos_reasons(settings, engine, directory, standin_factory):
    clock = Clock(datetime(2025, 2, 18, 9, 0, tzinfo=ZONE))
    standin, runtime = start(settings, engine, standin_factory, clock, TEMPLATES=(),
                             PHONES_WITHOUT_ZALO=("84900000005",))
    set_last_interaction(runtime, utcnow() - timedelta(days=9))
    message_id = queue_for(runtime, "Phạm Thị Bình")
    runtime.sender.deliver_due(now=clock.at)
    held = row(runtime, message_id)
    assert held.status == "held" and "-240" in held.last_error and "ZNS refused: -118" in held.last_error
    runtime.stop()


def lapse(runtime) -> None:
    with runtime.session() as session:
        session.execute(update(OutboxMessage).values(lease_until=utcnow() - timedelta(seconds=1)))


@pytest.mark.parametrize("channel", ["template", "zns"])
@pytest.mark.parametrize("step", ["claimed", "sending", "recorded"])
def test_nothing_is_sent_twice_across_a_restart_at_any_step(settings, engine, directory, standin_factory,
                                                            channel, step):
    clock = Clock(datetime(2025, 2, 18, 9, 0, tzinfo=ZONE))
    standin, first = start(settings, engine, standin_factory, clock)
    set_last_interaction(first, utcnow() - timedelta(days=9))
    message_id = queue_for(first, "Phạm Thị Bình" if channel == "template" else CHAU)
    if step == "recorded":
        first.sender.deliver_due(now=clock.at)
    else:
        [(claimed, _)] = first.sender._claim(clock.at, set(), set(), 10)
        if step == "sending":  # the process dies while Zalo has the request: it went out
            delivery = first.sender._begin(claimed, clock.at)
            from zalo import reach

            assert reach.by_template(first, delivery).status == "sent"  # ... never recorded
    restarted = make_runtime(first.settings, engine=engine)
    lapse(first)
    restarted.sender.recover()
    for minutes in (0, 1, 10, 60):
        restarted.sender.deliver_due(now=clock.at + timedelta(minutes=minutes))
    arrived = [m for m in standin.state.messages() if m["kind"] in ("template", "zns")]
    assert len(arrived) == 1
    assert row(restarted, message_id).status == ("uncertain" if step == "sending" else "sent")
    first.stop()
    restarted.stop()


def test_the_monday_summary_reaches_an_officer_with_no_link_by_phone(settings, engine, directory, standin_factory):
    from scheduler.sweep import run_due_work
    from tests.fixtures.scheduler import local, publish_seed

    clock = Clock(local("02-24 07:00"))
    standin, runtime = start(settings, engine, standin_factory, clock)
    publish_seed(runtime)
    run_due_work(runtime, clock.at)
    with runtime.session(read_only=True) as session:
        nam = session.exec(select(Officer).where(Officer.full_name == "Lý Văn Nam")).one()
        summary = session.exec(select(OutboxMessage).where(OutboxMessage.officer_id == nam.id,
                                                           OutboxMessage.kind == "summary")).one()
    assert (summary.status, summary.channel, summary.zalo_user_id) == ("sent", "zns", no_link_key(nam.id))
    [arrived] = standin.state.phone_messages("84900000012")
    assert "Tổng hợp tuần" in arrived["text"] and "bấm" not in arrived["text"].lower()
    runtime.stop()


@pytest.mark.parametrize(("config", "code"), [({"ZNS_TEMPLATES": ()}, -124), ({"ZNS_DAILY_QUOTA": 0}, -144),
                                              ({"PHONES_WITHOUT_ZALO": (CHAU_PHONE,)}, -118)])
def test_a_phone_template_refused_by_zalo_is_not_retried_and_the_log_keeps_zalos_code(
        settings, engine, directory, standin_factory, config, code):
    clock = Clock(datetime(2025, 2, 18, 9, 0, tzinfo=ZONE))
    standin, runtime = start(settings, engine, standin_factory, clock, **config)
    message_id = queue_for(runtime, CHAU)
    runtime.sender.deliver_due(now=clock.at)
    runtime.sender.deliver_due(now=clock.at + timedelta(hours=1))
    refused = row(runtime, message_id)
    assert refused.status == "failed" and f"ZNS refused: {code}" in refused.last_error  # no link: nowhere to hold
    assert standin.state.request_count("/message/template") == 1 and standin.state.phone_messages(CHAU_PHONE) == []
    runtime.stop()
