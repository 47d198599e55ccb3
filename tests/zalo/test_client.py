"""The Zalo client against the stand-in over real HTTP: sending, splitting, Zalo's refusals, the network."""

from __future__ import annotations

import socket
import threading
import time
import unicodedata
from datetime import timedelta

import pytest

from dev.processes import free_port
from tests.zalo.helpers import USER, client_settings
from zalo.budget import SharedBudget
from zalo.client import TEXT_LIMIT, ZaloClient, split_text
from zalo.errors import ZaloError, ZaloTransportError

CS = "/v3.0/oa/message/cs"


# --- sending -------------------------------------------------------------------------------------

def test_a_text_goes_out_composed_and_its_id_comes_back(zalo, standin):
    decomposed = unicodedata.normalize("NFD", "Việc của anh/chị: #7 Báo cáo")
    ids = zalo.send_text(USER, decomposed)
    [recorded] = standin.state.messages(USER)
    assert ids == [recorded["message_id"]]
    assert recorded["text"] == unicodedata.normalize("NFC", decomposed)


def test_a_long_text_goes_in_parts_cut_at_lines(zalo, standin):
    lines = [f"#{n} " + "Triển khai nhiệm vụ khoa học công nghệ cấp tỉnh năm 2025. " * 2 for n in range(60)]
    text = "\n".join(lines)
    buttons = [{"title": "Xong", "payload": "xong 1"}]
    ids = zalo.send_text(USER, text, buttons=buttons, quote_message_id="m-9")
    recorded = standin.state.messages(USER)
    assert len(ids) == len(recorded) >= 3 and ids == [m["message_id"] for m in recorded]
    assert all(len(m["text"]) <= TEXT_LIMIT for m in recorded)
    assert "\n".join(m["text"] for m in recorded) == text
    assert [m["quote_message_id"] for m in recorded] == ["m-9"] + [None] * (len(recorded) - 1)
    assert [m["buttons"] for m in recorded] == [[]] * (len(recorded) - 1) + [
        [{"title": "Xong", "type": "oa.query.show", "payload": "xong 1"}]]


def test_split_text_cuts_an_overlong_line_and_counts_like_zalo():
    assert split_text("a\n\nb") == ["a\n\nb"]
    words = "nhiệm vụ " * 500  # one 4,500-character line
    parts = split_text(words)
    assert len(parts) == 3 and all(len(p) <= TEXT_LIMIT for p in parts)
    assert " ".join(parts).split() == words.split()  # cut between words, nothing lost
    solid = "x" * 4500
    assert [len(p) for p in split_text(solid)] == [2000, 2000, 500]
    emoji = "😀" * 1500  # 3,000 UTF-16 units
    assert [len(p) for p in split_text(emoji)] == [1000, 500]


def test_an_empty_text_is_refused_before_calling_zalo(zalo, standin):
    with pytest.raises(ValueError):
        zalo.send_text(USER, " \n ")
    assert standin.state.request_count() == 0


def test_images_templates_and_profiles(settings, standin_factory, engine, tmp_path):
    people = [{"zalo_user_id": USER, "name": "Lê Hùng", "title": "Chuyên viên", "unit": "Văn phòng Sở"}]
    standin = standin_factory(USERS=lambda: people)
    standin.state.touch(USER)
    zalo = ZaloClient(client_settings(settings, standin), engine)
    chart = tmp_path / "tuan-7.png"
    chart.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    attachment = zalo.upload_image(chart)
    image_id = zalo.send_image(USER, attachment, "Tổng hợp tuần 7")
    template_id = zalo.send_template(USER, "T1", {"content": "Nhắc việc #7"})
    kinds = [(m["message_id"], m["kind"]) for m in standin.state.messages(USER)]
    assert kinds == [(image_id, "image"), (template_id, "template")]
    assert standin.state.messages(USER)[0]["attachment_id"] == attachment
    detail = zalo.user_detail(USER)
    assert detail["display_name"] == "Lê Hùng" and detail["user_is_follower"] is True


# --- Zalo's refusals -------------------------------------------------------------------------------

def test_outside_the_seven_day_window(zalo, standin):
    standin.state.touch(USER, at=standin.state.now() - timedelta(days=8))
    with pytest.raises(ZaloError) as raised:
        zalo.send_text(USER, "Nhắc việc #7")
    assert raised.value.code == -230 and raised.value.outside_window and not raised.value.permanent
    assert standin.state.request_count(CS) == 1  # not retried


def test_a_user_who_left_the_oa_is_unreachable(zalo, standin):
    standin.state.set_follower(USER, False)
    with pytest.raises(ZaloError) as raised:
        zalo.send_text(USER, "Nhắc việc #7")
    assert raised.value.code == -213 and raised.value.unreachable and not raised.value.permanent


def test_rate_limited_midway_through_a_long_text(settings, standin_factory, engine):
    standin = standin_factory(RATE_LIMIT_PER_MINUTE=1)
    standin.state.touch(USER)
    zalo = ZaloClient(client_settings(settings, standin), engine)
    with pytest.raises(ZaloError) as raised:
        zalo.send_text(USER, "a" * 1500 + "\n" + "b" * 1500)
    assert raised.value.code == -32 and raised.value.rate_limited
    [delivered] = standin.state.messages(USER)
    assert raised.value.sent_ids == [delivered["message_id"]]


def test_an_invalid_field_is_permanent(zalo):
    with pytest.raises(ZaloError) as raised:
        zalo.send_text(USER, "x", buttons=[{"title": "", "payload": "x"}])
    assert raised.value.code == -201 and raised.value.permanent


def test_an_http_error_status_is_a_permanent_failure(settings, standin, engine):
    zalo = ZaloClient(client_settings(settings, standin, zalo_api_base=standin.url + "/nowhere"), engine)
    with pytest.raises(ZaloError) as raised:
        zalo.send_text(USER, "x")
    assert raised.value.code == 404 and raised.value.permanent


# --- the network -----------------------------------------------------------------------------------

def test_a_slow_zalo_may_have_delivered(settings, standin_factory, engine):
    standin = standin_factory(LATENCY=1.0)
    standin.state.touch(USER)
    zalo = ZaloClient(client_settings(settings, standin, http_read_timeout=0.3), engine)
    with pytest.raises(ZaloTransportError) as raised:
        zalo.send_text(USER, "Nhắc việc #7")
    assert raised.value.maybe_delivered
    # It did arrive: sending it again would duplicate it.
    assert [m["text"] for m in standin.state.messages(USER)] == ["Nhắc việc #7"]


def test_a_refused_connection_surely_did_not_deliver(settings, engine):
    nowhere = f"http://127.0.0.1:{free_port()}"
    zalo = ZaloClient(settings.with_overrides(zalo_api_base=nowhere), engine)
    with pytest.raises(ZaloTransportError) as raised:
        zalo.send_text(USER, "x")
    assert raised.value.maybe_delivered is False


def test_a_connection_dropped_after_sending_may_have_delivered(settings, engine):
    listener = socket.create_server(("127.0.0.1", 0))

    def swallow_and_hang_up():
        connection, _ = listener.accept()
        connection.recv(65536)
        connection.close()

    thread = threading.Thread(target=swallow_and_hang_up, daemon=True)
    thread.start()
    zalo = ZaloClient(settings.with_overrides(zalo_api_base=f"http://127.0.0.1:{listener.getsockname()[1]}"), engine)
    try:
        with pytest.raises(ZaloTransportError) as raised:
            zalo.send_text(USER, "x")
    finally:
        thread.join(timeout=5)
        listener.close()
    assert raised.value.maybe_delivered is True


@pytest.mark.parametrize("per_minute", [600])
def test_the_rate_budget_never_exceeds_its_rate_even_shared_by_two_processes(engine, per_minute):
    first, second = SharedBudget(engine, per_minute), SharedBudget(engine, per_minute)  # one database row
    start = time.monotonic()
    for _ in range(6):
        first.wait()
        second.wait()
    assert time.monotonic() - start >= 11 * 60 / per_minute
