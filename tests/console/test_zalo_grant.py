"""«Kết nối Zalo»: an OA admin grants access again, through the console and the stand-in's consent
page, over real HTTP on loopback: the bot then sends with the new pair; nothing else changes anything."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest
import requests

from bot import create_app, make_runtime
from dev.standin.server import serve_in_thread
from storage.models import ZaloToken
from tests.fixtures.console import PASSWORD, SECRET_KEY, messages
from zalo.errors import ZaloError

USER = "5000000000000000004"
OAUTH = "/v4/oa/access_token"
_FIELD = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


class Console:
    """The office admin's browser on the running console (a `requests.Session` keeps the cookie)."""

    def __init__(self, url: str):
        self.url, self.http = url, requests.Session()

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.url + path, timeout=10)

    def submit(self, page: str, action: str, data: dict | None = None, **kwargs) -> requests.Response:
        """POST a form of `page` with that page's CSRF token, as the browser would."""
        fields = dict(_FIELD.findall(self.get(page).text))
        return self.http.post(self.url + action, data={"csrf_token": fields["csrf_token"], **(data or {})},
                              timeout=10, **kwargs)

    def sign_in(self) -> None:
        self.submit("/console/sign-in", "/console/sign-in", {"password": PASSWORD})

    def start_grant(self) -> requests.Response:
        """Press «Cấp quyền lại»: the browser lands on Zalo's (the stand-in's) consent page."""
        return self.submit("/console/zalo", "/console/zalo/grant")

    def answer(self, consent_page: requests.Response, decision: str) -> requests.Response:
        """Press «Cho phép» or «Từ chối»; the browser follows Zalo back to the console."""
        form = {name: html.unescape(value) for name, value in _FIELD.findall(consent_page.text)}
        return self.http.post(consent_page.url, data={**form, "decision": decision}, timeout=10)


@pytest.fixture
def grant_runtime(settings, engine, standin):
    """The bot with its real Zalo client on the stand-in, and a console password."""
    standin.state.touch(USER)
    runtime = make_runtime(settings.with_overrides(admin_password=PASSWORD, secret_key=SECRET_KEY,
                                                   **standin.settings_overrides()), engine=engine)
    yield runtime
    runtime.stop()


@pytest.fixture
def console_url(grant_runtime):
    with serve_in_thread(create_app(grant_runtime.settings, runtime=grant_runtime)) as server:
        yield server.url


@pytest.fixture
def admin(console_url) -> Console:
    console = Console(console_url)
    console.sign_in()
    return console


def stored(runtime) -> tuple | None:
    with runtime.session(read_only=True) as session:
        row = session.get(ZaloToken, 1)
        return row and (row.access_token, row.refresh_token, row.updated_at)


def kill_pair(standin) -> None:
    """The bot's pair dies (its refresh token was spent elsewhere, or three months went by)."""
    requests.post(standin.url + OAUTH, headers={"secret_key": standin.app_secret}, timeout=5,
                  data={"refresh_token": standin.state.current_tokens()["refresh_token"], "app_id": standin.app_id,
                        "grant_type": "refresh_token"})
    standin.state.expire_access_token()


def test_a_dead_pair_is_replaced_by_granting_access_again(admin, grant_runtime, standin):
    zalo = grant_runtime.zalo
    zalo.send_text(USER, "trước")
    kill_pair(standin)
    with pytest.raises(ZaloError):
        zalo.send_text(USER, "không tới")
    status = admin.get("/console/zalo")
    assert status.status_code == 200 and "Bot đang giữ cặp mã" in status.text
    assert "Thất bại" in status.text and "Invalid refresh token" in status.text  # the last refresh, as known

    consent = admin.start_grant()
    assert urlsplit(consent.url).netloc == urlsplit(standin.url).netloc
    assert "Cho phép Nhắc Việc quản lý Official Account" in consent.text
    back = admin.answer(consent, "allow")
    assert back.url == admin.url + "/console/zalo"
    assert messages(back.text, "ok") == ["Đã kết nối lại với Zalo: bot dùng quyền vừa được cấp để gửi tin."]
    live = standin.state.current_tokens()
    assert stored(grant_runtime)[:2] == (live["access_token"], live["refresh_token"])
    for token in (*live.values(), standin.access_token, standin.refresh_token):
        assert str(token) not in back.text
    assert "Thành công" in back.text and "(cấp quyền lại)" in back.text

    zalo.send_text(USER, "sau")
    assert [m["text"] for m in standin.state.messages(USER)] == ["trước", "sau"]
    # The grant is spent: following the same callback again changes nothing.
    assert admin.http.get(back.history[-1].url, timeout=5).status_code == 400


def test_a_wrong_or_missing_state_is_refused_and_stores_nothing(admin, grant_runtime, standin):
    before = stored(grant_runtime)  # None: nothing held yet
    consent = admin.start_grant()
    for query in ("?code=forged&state=forged", "?code=forged", "?error=access_denied"):
        refused = admin.get("/console/zalo/callback" + query)
        assert refused.status_code == 400
        assert "Liên kết cấp quyền không hợp lệ hoặc đã hết hạn" in messages(refused.text)[0]
    assert stored(grant_runtime) == before and standin.state.request_count(OAUTH) == 0
    # The admin's own grant, still in progress, goes through afterwards.
    assert admin.answer(consent, "allow").status_code == 200
    assert stored(grant_runtime)[0] == standin.state.current_tokens()["access_token"]


def test_a_refused_consent_changes_nothing(admin, grant_runtime, standin):
    grant_runtime.zalo.send_text(USER, "một")
    before = stored(grant_runtime)
    back = admin.answer(admin.start_grant(), "deny")
    assert back.status_code == 400 and "đã bấm «Từ chối»" in messages(back.text)[0]
    assert stored(grant_runtime) == before and standin.state.request_count(OAUTH) == 0
    grant_runtime.zalo.send_text(USER, "hai")  # the pair still works


def test_only_a_signed_in_admin_can_start_a_grant(console_url, grant_runtime):
    visitor = Console(console_url)
    assert visitor.http.get(console_url + "/console/zalo", allow_redirects=False, timeout=5).status_code == 302
    assert visitor.http.post(console_url + "/console/zalo/grant", allow_redirects=False, timeout=5).status_code == 302
    visitor.sign_in()
    forged = visitor.http.post(console_url + "/console/zalo/grant", data={"csrf_token": "forged"},
                               allow_redirects=False, timeout=5)
    assert forged.status_code == 400
    started = visitor.submit("/console/zalo", "/console/zalo/grant", allow_redirects=False)
    assert started.status_code == 302 and "/v4/oa/permission?" in started.headers["Location"]


@pytest.mark.browser
def test_granting_access_again_in_the_browser(browser, console_url, grant_runtime, standin):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 10)
    browser.get(console_url + "/console/")
    wait.until(lambda d: d.find_element(By.ID, "password")).send_keys(PASSWORD + "\n")
    wait.until(lambda d: d.find_element(By.LINK_TEXT, "Kết nối Zalo")).click()
    wait.until(lambda d: d.find_element(By.ID, "grant-button")).click()
    title = wait.until(lambda d: d.find_element(By.ID, "consent-title"))
    assert "Cho phép Nhắc Việc quản lý Official Account" in title.text
    browser.find_element(By.ID, "allow").click()
    flash = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".flash-ok"))
    assert "Đã kết nối lại với Zalo" in flash.text and browser.current_url == console_url + "/console/zalo"
    assert stored(grant_runtime)[0] == standin.state.current_tokens()["access_token"]
