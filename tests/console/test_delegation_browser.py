"""In Debian's headless chromium: the clerk hands a task to an officer from its page, the officer
reads it in the Zalo stand-in's simulator and reports progress from there (through the signed
webhook), and the task page shows the report."""

from __future__ import annotations

import time

import pytest
from sqlmodel import select

from storage.models import Task
from tests.console.test_daily_browser import SEED, click_and_load, directory_loaded, helpers, live, sign_in, upload

pytestmark = pytest.mark.browser

HUNG = "5000000000000000004"
NHUNG = "5000000000000000003"  # the head of Văn phòng Sở
__all__ = ["directory_loaded", "live"]  # fixtures shared with the office's day


def _told(standin, user_id: str, words: str) -> str:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = [m["text"] for m in standin.state.messages(user_id) if words in m["text"]]
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"{user_id} was not told {words!r}")


def test_delegate_from_the_task_page_then_the_officer_reports_progress_in_zalo(browser, live):
    url, runtime, standin = live
    By, Select, wait = helpers(browser)
    for user in (HUNG, NHUNG):
        standin.state.touch(user)
    sign_in(browser, url)
    upload(browser, url, SEED)
    wait.until(lambda d: d.find_element(By.ID, "publish-button")).click()
    wait.until(lambda d: d.find_elements(By.ID, "totals"))
    with runtime.session(read_only=True) as session:
        task_id = session.exec(select(Task).where(Task.ref == "1.4")).one().id  # Văn phòng Sở's, no one named

    browser.get(f"{url}/console/tasks/{task_id}")
    Select(wait.until(lambda d: d.find_element(By.ID, "delegate-authority"))).select_by_visible_text(
        "Trần Thị Nhung – Chánh Văn phòng")
    Select(browser.find_element(By.ID, "delegate-officer")).select_by_visible_text("Lê Hùng – Chuyên viên Văn phòng")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, "#delegate-form button"))
    flash = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".flash-ok"))
    assert flash.text.startswith(f"Đã giao việc #{task_id} cho Lê Hùng theo ý kiến của Trần Thị Nhung.")
    assert browser.find_element(By.ID, "task-delegates").text.startswith("Lê Hùng")
    handed = _told(standin, HUNG, f"giao việc #{task_id}")
    assert handed.startswith(f"Anh/chị được Văn phòng Sở (theo ý kiến của Trần Thị Nhung) giao việc #{task_id}:")
    assert "cho Lê Hùng" in _told(standin, NHUNG, f"việc #{task_id}")

    browser.get(standin.url + "/simulator")
    wait.until(lambda d: d.find_element(By.ID, "user-search")).send_keys("le hung")
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".user-item")) == 1)
    browser.find_element(By.CSS_SELECTOR, ".user-item").click()
    wait.until(lambda d: any(f"giao việc #{task_id}" in e.text for e in d.find_elements(By.CSS_SELECTOR, ".msg.oa .text")))
    shown = len(browser.find_elements(By.CSS_SELECTOR, ".msg.oa .text"))
    browser.find_element(By.ID, "composer-input").send_keys(f"tiến độ {task_id}: đã xong dự thảo kế hoạch")
    browser.find_element(By.ID, "send-button").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".msg.oa .text")) > shown)

    browser.get(f"{url}/console/tasks/{task_id}")
    progress = wait.until(lambda d: d.find_element(By.ID, "progress")).text
    assert "Lê Hùng" in progress and "đã xong dự thảo kế hoạch" in progress
    assert "Báo cáo tiến độ" in browser.find_element(By.ID, "history").text
    browser.get(f"{url}/console/tasks?delegate=")
    Select(wait.until(lambda d: d.find_element(By.ID, "f-delegate"))).select_by_visible_text("Lê Hùng")
    click_and_load(browser, browser.find_element(By.ID, "filter-button"))
    rows = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#tasks tbody tr"))
    assert [r.get_attribute("data-task") for r in rows] == [str(task_id)]
