"""The console in Debian's headless chromium: sign in, upload the seed notice, review, publish, see the counts."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot import create_app
from dev.standin.server import serve_in_thread
from storage.models import Task
from tests.conftest import SAMPLES
from tests.fixtures.console import PASSWORD

pytestmark = pytest.mark.browser

SEED = SAMPLES / "thong-bao-ket-luan-tuan-7-2025.txt"


@pytest.fixture
def console_url(locked_runtime, directory):
    with serve_in_thread(create_app(locked_runtime.settings, runtime=locked_runtime)) as server:
        yield server.url + "/console/"


def test_the_office_imports_and_publishes_a_notice_in_the_browser(browser, console_url, locked_runtime):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 10)
    browser.get(console_url)
    password = wait.until(lambda d: d.find_element(By.ID, "password"))
    assert "/console/sign-in" in browser.current_url
    password.send_keys(PASSWORD)
    password.submit()
    wait.until(lambda d: d.find_elements(By.ID, "totals"))
    assert browser.find_element(By.CSS_SELECTOR, '[data-stat="open"]').text == "0"

    browser.find_element(By.LINK_TEXT, "Nhập thông báo").click()
    wait.until(lambda d: d.find_element(By.ID, "notice-file")).send_keys(str(SEED))
    browser.find_element(By.ID, "upload-button").click()
    rows = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#review tbody tr"))
    with locked_runtime.session(read_only=True) as session:
        stored = session.exec(select(Task)).all()
    assert len(rows) == len(stored) and not any(t.published for t in stored)
    first = rows[0].find_elements(By.TAG_NAME, "td")
    assert first[0].text.startswith("1.1") and "Văn phòng Sở → Văn phòng Sở" in first[2].text
    assert "thứ Sáu 21/02/2025 17h" in first[4].text

    browser.find_element(By.ID, "publish-button").click()
    wait.until(lambda d: d.find_elements(By.ID, "totals"))
    assert f"Đã công bố {len(stored)} việc" in browser.find_element(By.CSS_SELECTOR, ".flash-ok").text
    assert browser.find_element(By.CSS_SELECTOR, '[data-stat="open"]').text == str(len(stored))
    units = {row.find_element(By.TAG_NAME, "td").text: row for row in browser.find_elements(By.CSS_SELECTOR, "#units tbody tr")}
    vp_tasks = sum(1 for t in stored if t.unit_raw == "Văn phòng Sở")
    assert units["Văn phòng Sở"].find_element(By.CSS_SELECTOR, '[data-col="open"]').text == str(vp_tasks)
    assert "Đã công bố" in browser.find_element(By.ID, "notices").text
