"""The chat simulator in Debian's headless chromium: pick an officer, write, see the reply, tap a button."""

from __future__ import annotations

import pytest
import requests

from dev.standin.server import serve_in_thread
from tests.fixtures.standin import WebhookSink

pytestmark = pytest.mark.browser

OFFICER = {"zalo_user_id": "5000000000000000004", "name": "Lê Hùng", "title": "Chuyên viên Văn phòng",
           "unit": "Văn phòng Sở"}


@pytest.fixture
def echo_bot(standin_factory):
    """A stand-in Zalo whose webhook is a tiny bot answering each text through Zalo's API."""
    standin = standin_factory(USERS=lambda: [OFFICER, {"zalo_user_id": None, "name": "Trần Thị Nhung",
                                                       "title": "Chánh Văn phòng", "unit": "Văn phòng Sở"}])

    def answer(event):
        text = event["message"]["text"]
        reply = {"text": f"Đã nhận: {text}"}
        if text == "việc của tôi":
            reply = {"text": "#3 Báo cáo quý I", "attachment": {"type": "template", "payload": {"buttons": [
                {"title": "Xong #3", "type": "oa.query.show", "payload": "xong 3"}]}}}
        answered = requests.post(standin.url + "/v3.0/oa/message/cs", timeout=5,
                                 headers={"access_token": standin.state.current_tokens()["access_token"]},
                                 json={"recipient": {"user_id": event["sender"]["id"]}, "message": reply}).json()
        assert answered["error"] == 0, answered

    sink = WebhookSink(standin.app_id, standin.oa_secret_key, on_text=answer)
    with serve_in_thread(sink.app) as server:
        standin.state.set_webhook_url(server.url + "/zalo/webhook")
        yield standin, sink


def test_an_officer_chats_with_the_bot_in_the_simulator(browser, echo_bot):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    standin, sink = echo_bot
    wait = WebDriverWait(browser, 10)
    browser.get(standin.url + "/simulator")
    search = wait.until(lambda d: d.find_element(By.ID, "user-search"))
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".user-item")) == 2)
    assert "chưa liên kết" in browser.find_element(By.ID, "user-list").text  # Trần Thị Nhung has no Zalo id yet
    search.send_keys("LE HUNG")  # without diacritics, any case
    items = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".user-item"))
    assert [i.get_attribute("data-user-id") for i in items] == [OFFICER["zalo_user_id"]]
    items[0].click()

    assert not browser.find_element(By.ID, "reply-bar").is_displayed()
    composer = browser.find_element(By.ID, "composer-input")
    composer.send_keys("việc của tôi")
    browser.find_element(By.ID, "send-button").click()
    button = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".msg.oa .qr-btn"))
    assert browser.find_element(By.CSS_SELECTOR, ".msg.oa .text").text == "#3 Báo cáo quý I"
    assert [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".msg.user .text")] == ["việc của tôi"]

    button.click()  # oa.query.show: the payload goes back as the officer's text
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".msg.oa")) == 2)
    assert [e["message"]["text"] for e in sink.events()] == ["việc của tôi", "xong 3"]
    assert browser.find_elements(By.CSS_SELECTOR, ".msg.oa .text")[-1].text == "Đã nhận: xong 3"

    # "Trả lời" on the first bot message: the next text quotes it.
    first = browser.find_elements(By.CSS_SELECTOR, ".msg.oa")[0]
    first.find_element(By.CSS_SELECTOR, ".reply-action").click()
    assert browser.find_element(By.ID, "reply-bar").is_displayed()
    composer.send_keys("xong")
    browser.find_element(By.ID, "send-button").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".msg.oa")) == 3)
    quoted = sink.events()[-1]["message"]
    assert quoted["text"] == "xong" and quoted["quote_msg_id"] == first.get_attribute("data-message-id")
    assert not browser.find_element(By.ID, "reply-bar").is_displayed()
