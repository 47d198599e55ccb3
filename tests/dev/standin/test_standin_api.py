"""The stand-in enforces Zalo's rules (docs/zalo.md, without Zalo), over real HTTP on loopback."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
import requests
from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from dev.standin import events
from dev.standin.rules import VIETNAM
from dev.standin.server import serve_in_thread
from zalo.signature import signature_matches

USER = "5000000000000000004"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def call(standin, method: str, path: str, *, token: str | None = None, **kwargs) -> dict:
    """One API call with the live access token (or `token`); Zalo answers HTTP 200 even on failure."""
    token = standin.state.current_tokens()["access_token"] if token is None else token
    response = requests.request(method, standin.url + path, headers={"access_token": token}, timeout=5, **kwargs)
    assert response.status_code == 200
    return response.json()


def send_cs(standin, message: dict, *, user_id: str = USER, token: str | None = None) -> dict:
    return call(standin, "POST", "/v3.0/oa/message/cs", token=token,
                json={"recipient": {"user_id": user_id}, "message": message})


def oauth(standin, refresh_token: str, *, secret_key: str | None = None) -> dict:
    response = requests.post(standin.url + "/v4/oa/access_token", timeout=5,
                             headers={"secret_key": standin.app_secret if secret_key is None else secret_key},
                             data={"refresh_token": refresh_token, "app_id": standin.app_id,
                                   "grant_type": "refresh_token"})
    assert response.status_code == 200
    return response.json()


def test_a_text_reaches_a_user_who_wrote_recently(standin):
    standin.state.touch(USER)
    reply = send_cs(standin, {"text": "Xin chào anh/chị"})
    assert reply["error"] == 0 and reply["data"]["message_id"]
    [recorded] = standin.state.messages(USER)
    assert (recorded["message_id"], recorded["kind"], recorded["text"]) == (reply["data"]["message_id"], "text",
                                                                           "Xin chào anh/chị")
    again = send_cs(standin, {"text": "Lần hai"})
    assert again["data"]["message_id"] != reply["data"]["message_id"]


@pytest.mark.parametrize("token", ["", "not-the-token", "Bearer test-access-token"])
def test_a_wrong_token_is_refused_inside_http_200(standin, token):
    standin.state.touch(USER)
    reply = send_cs(standin, {"text": "x"}, token=token)
    assert reply["error"] == -216
    assert standin.state.messages() == []


def test_an_expired_token_is_refused(standin):
    standin.state.touch(USER)
    standin.state.expire_access_token()
    assert send_cs(standin, {"text": "x"})["error"] == -216


def test_texts_longer_than_2000_characters_are_refused(standin):
    standin.state.touch(USER)
    assert send_cs(standin, {"text": "ệ" * 2000})["error"] == 0
    assert send_cs(standin, {"text": "ệ" * 2001})["error"] == -201
    assert len(standin.state.messages()) == 1


def test_the_seven_day_window(standin):
    state = standin.state
    assert send_cs(standin, {"text": "never wrote"})["error"] == -230
    state.touch(USER, at=state.now() - timedelta(days=7, minutes=1))
    assert send_cs(standin, {"text": "too late"})["error"] == -230
    # A pre-approved template reaches them all the same.
    reply = call(standin, "POST", "/v3.0/oa/message/template",
                 json={"user_id": USER, "template_id": "T1", "template_data": {"content": "Nhắc việc #7"}})
    assert reply["error"] == 0
    state.touch(USER, at=state.now() - timedelta(days=6, hours=23))
    assert send_cs(standin, {"text": "inside"})["error"] == 0
    assert [m["kind"] for m in state.messages(USER)] == ["template", "text"]


def test_users_who_do_not_follow_are_unreachable(standin):
    standin.state.touch(USER)
    standin.state.set_follower(USER, False)
    assert send_cs(standin, {"text": "x"})["error"] == -213
    assert call(standin, "POST", "/v3.0/oa/message/template",
                json={"user_id": USER, "template_id": "T1", "template_data": {}})["error"] == -213


def test_the_rate_limit_counts_every_call_of_the_app(standin_factory):
    standin = standin_factory(RATE_LIMIT_PER_MINUTE=3)
    standin.state.touch(USER)
    assert send_cs(standin, {"text": "1"})["error"] == 0
    assert call(standin, "GET", "/v2.0/oa/getoa")["error"] == 0
    assert send_cs(standin, {"text": "3"})["error"] == 0
    assert send_cs(standin, {"text": "4"})["error"] == -32
    assert [m["text"] for m in standin.state.messages()] == ["1", "3"]
    assert standin.state.request_count() == 4


def test_refresh_tokens_work_once_and_kill_the_old_pair(standin):
    standin.state.touch(USER)
    old = standin.state.current_tokens()
    refused = oauth(standin, old["refresh_token"], secret_key="wrong secret")
    assert "access_token" not in refused and refused["error"] != 0
    fresh = oauth(standin, old["refresh_token"])
    assert fresh["expires_in"] == "90000"
    assert {fresh["access_token"], fresh["refresh_token"]}.isdisjoint({old["access_token"], old["refresh_token"]})
    assert send_cs(standin, {"text": "old"}, token=old["access_token"])["error"] == -216
    assert send_cs(standin, {"text": "new"}, token=fresh["access_token"])["error"] == 0
    reused = oauth(standin, old["refresh_token"])
    assert "access_token" not in reused and reused["error"] != 0
    assert standin.state.current_tokens()["refresh_token"] == fresh["refresh_token"]
    assert standin.state.request_count("/v4/oa/access_token") == 3


def test_buttons_and_quotes_are_kept(standin):
    standin.state.touch(USER)
    buttons = [{"title": "Xong", "type": "oa.query.show", "payload": "xong 12"}]
    reply = send_cs(standin, {"text": "Việc #12", "quote_message_id": "m-1",
                              "attachment": {"type": "template", "payload": {"buttons": buttons}}})
    assert reply["error"] == 0
    [recorded] = standin.state.messages(USER)
    assert recorded["buttons"] == buttons and recorded["quote_message_id"] == "m-1"
    bad = [{"title": "", "type": "oa.query.show", "payload": "x"}]
    assert send_cs(standin, {"text": "x", "attachment": {"type": "template",
                                                          "payload": {"buttons": bad}}})["error"] == -201


def test_images_are_uploaded_then_sent_by_attachment_id(standin):
    standin.state.touch(USER)
    upload = requests.post(standin.url + "/v3.0/oa/upload/image", timeout=5,
                           headers={"access_token": standin.access_token},
                           files={"file": ("chart.png", PNG, "image/png")}).json()
    attachment_id = upload["data"]["attachment_id"]
    media = {"type": "template", "payload": {"template_type": "media",
                                             "elements": [{"media_type": "image", "attachment_id": attachment_id}]}}
    assert send_cs(standin, {"text": "Tổng hợp tuần", "attachment": media})["error"] == 0
    [recorded] = standin.state.messages(USER)
    assert recorded["kind"] == "image" and recorded["attachment_id"] == attachment_id
    shown = requests.get(f"{standin.url}/simulator/api/image/{attachment_id}", timeout=5)
    assert shown.content == PNG and shown.headers["Content-Type"] == "image/png"
    not_image = requests.post(standin.url + "/v3.0/oa/upload/image", timeout=5,
                              headers={"access_token": standin.access_token},
                              files={"file": ("notes.txt", b"hello", "text/plain")}).json()
    assert not_image["error"] == -201
    media["payload"]["elements"][0]["attachment_id"] = "unknown"
    assert send_cs(standin, {"text": "x", "attachment": media})["error"] == -201


def test_template_by_phone_is_refused_at_night_vietnam_time(standin_factory):
    clock = [datetime(2025, 2, 20, 15, 30, tzinfo=timezone.utc)]  # 22:30 in Vietnam
    standin = standin_factory(NOW=lambda: clock[0])
    body = {"phone": "84900000004", "template_id": "T9", "template_data": {"content": "Nhắc việc"},
            "tracking_id": "outbox-1"}
    assert call(standin, "POST", "/message/template", json=body)["error"] != 0
    clock[0] = datetime(2025, 2, 20, 6, 0, tzinfo=VIETNAM)
    sent = call(standin, "POST", "/message/template", json=body)
    assert sent["error"] == 0 and sent["data"]["msg_id"]
    [recorded] = standin.state.messages()
    assert (recorded["kind"], recorded["phone"]) == ("zns", "84900000004")
    assert call(standin, "POST", "/message/template", json={**body, "phone": "0900000004"})["error"] == -201


def test_profile_and_oa_info(standin_factory):
    people = [{"zalo_user_id": USER, "name": "Lê Hùng", "title": "Chuyên viên", "unit": "Văn phòng Sở"}]
    standin = standin_factory(USERS=lambda: people)
    standin.state.touch(USER)
    detail = call(standin, "GET", "/v3.0/oa/user/detail", params={"data": json.dumps({"user_id": USER})})
    assert detail["data"]["display_name"] == "Lê Hùng" and detail["data"]["user_is_follower"] is True
    assert detail["data"]["user_last_interaction_date"] == standin.state.now().astimezone(VIETNAM).strftime("%d/%m/%Y")
    assert call(standin, "GET", "/v2.0/oa/getoa")["data"]["oa_id"] == standin.oa_id


def test_user_texts_reach_the_webhook_signed_as_zalo_signs_them(standin, webhook_sink):
    event = standin.state.send_user_text(USER, "việc của tôi", quote_msg_id="oa-msg-1")
    [received] = webhook_sink.received
    assert received["event"] == event
    assert set(event) == {"app_id", "user_id_by_app", "event_name", "timestamp", "sender", "recipient", "message"}
    assert event["sender"] == {"id": USER} and event["recipient"] == {"id": standin.oa_id}
    assert event["message"]["text"] == "việc của tôi" and event["message"]["quote_msg_id"] == "oa-msg-1"
    assert all(isinstance(v, str) for v in (event["timestamp"], event["message"]["msg_id"], event["user_id_by_app"]))
    assert signature_matches(received["headers"]["X-Zevent-Signature"], standin.app_id, received["raw"],
                             event["timestamp"], standin.oa_secret_key)
    # The text is an interaction: the OA may answer now.
    assert standin.state.last_interaction(USER) is not None
    plain = standin.state.send_user_text(USER, "xong 7")
    assert "quote_msg_id" not in plain["message"]
    # A redelivery is byte-identical and carries Zalo's `num_retry` header.
    standin.state.send_event(plain, num_retry=1)
    assert webhook_sink.received[2]["raw"] == webhook_sink.received[1]["raw"]
    assert webhook_sink.received[2]["headers"].get("Num-Retry") == "1"


def test_unfollow_and_follow_events_change_who_can_be_reached(standin, webhook_sink):
    state = standin.state
    state.send_event(events.follow(state.app_id, state.oa_id, USER, following=False))
    assert send_cs(standin, {"text": "x"})["error"] == -213
    state.send_event(events.follow(state.app_id, state.oa_id, USER))
    assert send_cs(standin, {"text": "x"})["error"] == 0
    assert [e["event_name"] for e in webhook_sink.events()] == ["unfollow", "follow"]
    assert webhook_sink.events()[0]["follower"] == {"id": USER}


def test_a_webhook_that_refuses_the_event_is_an_error(standin, webhook_sink):
    forged = events.user_send_text("someone-else", standin.oa_id, USER, "x")
    with pytest.raises(requests.HTTPError):
        standin.state.send_event(forged)
    assert webhook_sink.received == []


def test_the_simulator_relays_texts_and_shows_both_sides(standin, webhook_sink):
    sim = standin.url + "/simulator/api"
    sent = requests.post(sim + "/send", json={"user_id": USER, "text": "việc của tôi"}, timeout=5)
    assert sent.json() == {"ok": True}
    [event] = webhook_sink.events()
    assert event["message"]["text"] == "việc của tôi"
    buttons = [{"title": "Xong", "type": "oa.query.show", "payload": "xong 3"}]
    send_cs(standin, {"text": "#3 Báo cáo quý", "attachment": {"type": "template", "payload": {"buttons": buttons}}})
    entries = requests.get(sim + "/conversation", params={"user_id": USER}, timeout=5).json()["entries"]
    assert [(e["side"], e["text"]) for e in entries] == [("user", "việc của tôi"), ("oa", "#3 Báo cáo quý")]
    assert entries[1]["buttons"] == buttons
    newer = requests.get(sim + "/conversation", params={"user_id": USER, "after": entries[0]["seq"]}, timeout=5)
    assert [e["text"] for e in newer.json()["entries"]] == ["#3 Báo cáo quý"]
    empty = requests.post(sim + "/send", json={"user_id": USER, "text": "  "}, timeout=5)
    assert empty.status_code == 400 and empty.json()["error"]


def test_the_simulator_says_so_when_the_bot_is_down(standin):
    standin.state.set_webhook_url("http://127.0.0.1:9/zalo/webhook")
    reply = requests.post(standin.url + "/simulator/api/send", json={"user_id": USER, "text": "alo"}, timeout=10)
    assert reply.status_code == 502 and "Không gửi được" in reply.json()["error"]


def test_everything_works_under_a_url_prefix(standin):
    outer = DispatcherMiddleware(Flask("bot"), {"/zalo": standin.app})
    with serve_in_thread(outer) as server:
        page = requests.get(server.url + "/zalo/simulator", timeout=5)
        assert page.status_code == 200 and '"/zalo/simulator"' in page.text
        assert requests.get(server.url + "/zalo/simulator/api/users", timeout=5).json() == {"users": []}
        standin.state.touch(USER)
        reply = requests.post(server.url + "/zalo/v3.0/oa/message/cs", headers={"access_token": standin.access_token},
                              json={"recipient": {"user_id": USER}, "message": {"text": "hi"}}, timeout=5).json()
        assert reply["error"] == 0


def test_the_simulator_shows_per_officer_what_arrived_by_which_way_and_what_is_held(standin_factory):
    people = [{"zalo_user_id": USER, "name": "Lê Hùng", "phone": "84900000004"},
              {"zalo_user_id": None, "name": "Lý Văn Nam", "phone": "84900000012"},
              {"zalo_user_id": "5000000000000000005", "name": "Phạm Thị Bình", "phone": "84900000005"}]
    standin = standin_factory(USERS=lambda: people, HELD=lambda: {"5000000000000000005": 2},
                              NOW=lambda: datetime(2025, 2, 18, 9, 0, tzinfo=VIETNAM))
    standin.state.touch(USER)
    assert send_cs(standin, {"text": "Nhắc việc #7"})["error"] == 0
    assert call(standin, "POST", "/v3.0/oa/message/template",
                json={"user_id": USER, "template_id": "T1", "template_data": {"so_viec": "#7"}})["error"] == 0
    assert call(standin, "POST", "/message/template",
                json={"phone": "84900000012", "template_id": "Z1", "template_data": {"so_viec": "#8"}})["error"] == 0
    users = {u["name"]: u for u in requests.get(standin.url + "/simulator/api/users", timeout=5).json()["users"]}
    assert users["Lê Hùng"]["arrived"] == {"text": 1, "template": 1, "zns": 0}
    assert users["Lý Văn Nam"]["arrived"] == {"text": 0, "template": 0, "zns": 1}  # by phone, with no link
    assert (users["Phạm Thị Bình"]["arrived"], users["Phạm Thị Bình"]["held"]) == ({"text": 0, "template": 0, "zns": 0}, 2)
    nam = users["Lý Văn Nam"]["zalo_user_id"]
    entries = requests.get(standin.url + "/simulator/api/conversation", params={"user_id": nam}, timeout=5).json()
    assert [e["kind"] for e in entries["entries"]] == ["zns"]
