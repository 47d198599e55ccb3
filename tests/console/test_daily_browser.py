"""The office's day in Debian's headless chromium: correct a draft and publish it; apply a corrected
notice to live tasks; search and filter the tasks; extend a task and see the officer told in the
Zalo stand-in; add an officer, issue a code and link from the simulator; download both reports."""

from __future__ import annotations

import io
import time
from datetime import timedelta
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot import create_app, make_runtime
from console.report import HEADER_ROW
from dev.server import directory_users
from dev.standin.server import serve_in_thread
from storage.models import Officer, Task, utcnow
from tests.conftest import SAMPLES
from tests.console.test_corrections import corrected
from tests.fixtures.console import PASSWORD, SECRET_KEY

pytestmark = pytest.mark.browser

SEED = SAMPLES / "thong-bao-ket-luan-tuan-7-2025.txt"
HUNG = "5000000000000000004"


@pytest.fixture
def live(settings, engine, standin_factory, directory_loaded):
    """The bot, password-protected, talking to a stand-in Zalo whose simulator offers its directory."""
    made = {}
    standin = standin_factory(USERS=lambda: directory_users(made["runtime"])())
    runtime = made["runtime"] = make_runtime(settings.with_overrides(
        admin_password=PASSWORD, secret_key=SECRET_KEY, **standin.settings_overrides()), engine=engine)
    with serve_in_thread(create_app(runtime.settings, runtime=runtime)) as server:
        standin.state.set_webhook_url(server.url + "/zalo/webhook")
        runtime.start_background()
        yield server.url, runtime, standin
        runtime.stop()


@pytest.fixture
def directory_loaded(engine, settings):
    from storage.db import session_scope
    from storage.directory import load_directory

    with session_scope(engine) as session:
        load_directory(session, SAMPLES / "units.csv", SAMPLES / "officers.csv")
        for officer in session.exec(select(Officer).where(Officer.zalo_user_id.is_not(None))):
            officer.last_interaction_at = utcnow()


WAIT_SECONDS = 15


def helpers(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    wait = WebDriverWait(browser, WAIT_SECONDS)
    return By, Select, wait


def click_and_load(browser, element) -> None:
    """Click what submits a form or follows a link, and wait for the next page."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    # Asked about the old page while the new one loads, chromium may answer "Node with given id
    # does not belong to the document" instead of "stale": ask again.
    WebDriverWait(browser, WAIT_SECONDS, ignored_exceptions=(WebDriverException,)).until(
        expected_conditions.staleness_of(page))


def sign_in(browser, url: str, clerk: str = "Lê Hùng") -> None:
    By, Select, wait = helpers(browser)
    browser.get(url + "/console/")
    wait.until(lambda d: d.find_element(By.ID, "password")).send_keys(PASSWORD)
    Select(browser.find_element(By.ID, "clerk-select")).select_by_visible_text(f"{clerk} – Chuyên viên Văn phòng")
    browser.find_element(By.ID, "password").submit()
    wait.until(lambda d: d.find_elements(By.ID, "totals"))


def upload(browser, url: str, path: Path) -> None:
    By, _, wait = helpers(browser)
    browser.get(url + "/console/import")
    wait.until(lambda d: d.find_element(By.ID, "notice-file")).send_keys(str(path))
    browser.find_element(By.ID, "upload-button").click()


def test_correct_a_draft_row_then_publish(browser, live, tmp_path):
    url, runtime, _ = live
    By, Select, wait = helpers(browser)
    sign_in(browser, url)
    wrong = tmp_path / "tuan-7.txt"
    wrong.write_text(SEED.read_text(encoding="utf-8").replace("2. Phòng Quản lý CN&ĐMST", "2. Phòng Hợp tác Quốc tế", 1),
                     encoding="utf-8")
    upload(browser, url, wrong)
    button = wait.until(lambda d: d.find_element(By.ID, "publish-button"))
    assert not button.is_enabled()
    browser.find_element(By.CSS_SELECTOR, 'tr[data-ref="2.1"] .edit-link').click()
    Select(wait.until(lambda d: d.find_element(By.ID, "unit_id"))).select_by_visible_text(
        "Phòng Quản lý Công nghệ và Đổi mới sáng tạo")
    click_and_load(browser, browser.find_element(By.ID, "save-row"))
    row = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, 'tr[data-ref="2.1"]'))
    assert "→ Phòng Quản lý Công nghệ và Đổi mới sáng tạo" in row.text
    assert not browser.find_element(By.ID, "publish-button").is_enabled()  # 2.2 and 2.3 still have no unit
    for box in browser.find_elements(By.CSS_SELECTOR, ".check-row"):
        box.click()
    browser.find_element(By.ID, "publish-button").click()
    wait.until(lambda d: d.find_elements(By.ID, "totals"))
    assert "Đã công bố" in browser.find_element(By.CSS_SELECTOR, ".flash-ok").text
    with runtime.session(read_only=True) as session:
        tasks = session.exec(select(Task)).all()
        assert all(t.published for t in tasks)
        fixed = next(t for t in tasks if t.ref == "2.1")
        assert fixed.unit_id is not None and fixed.unit_raw == "Phòng Hợp tác Quốc tế"


def test_reimport_a_corrected_published_notice_and_see_it_applied(browser, live, tmp_path):
    url, runtime, _ = live
    By, _, wait = helpers(browser)
    sign_in(browser, url)
    upload(browser, url, SEED)
    wait.until(lambda d: d.find_element(By.ID, "publish-button")).click()
    wait.until(lambda d: d.find_elements(By.ID, "totals"))
    fixed = tmp_path / "tuan-7-sua.txt"
    fixed.write_bytes(corrected())
    upload(browser, url, fixed)
    counts = wait.until(lambda d: d.find_element(By.ID, "correction-counts"))
    assert [e.text for e in counts.find_elements(By.CSS_SELECTOR, ".stat-value")][:3] == ["1", "1", "1"]
    assert "24/02/2025" in browser.find_element(By.ID, "changes").text
    click_and_load(browser, browser.find_element(By.ID, "apply-button"))
    flash = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".flash-ok"))
    assert flash.text == "Đã áp dụng bản sửa: 1 việc thay đổi, 1 việc thêm, 1 việc bỏ."
    with runtime.session(read_only=True) as session:
        first = session.exec(select(Task).where(Task.ref == "1.1")).one()
        assert str(first.deadline_date) == "2025-02-24"
        new = session.exec(select(Task).where(Task.text.contains("hội trường"))).one()
        assert new.published


def test_search_and_filter_the_task_list(browser, live):
    url, runtime, _ = live
    By, Select, wait = helpers(browser)
    sign_in(browser, url)
    upload(browser, url, SEED)
    wait.until(lambda d: d.find_element(By.ID, "publish-button")).click()
    wait.until(lambda d: d.find_elements(By.ID, "totals"))
    browser.find_element(By.LINK_TEXT, "Việc").click()
    search = wait.until(lambda d: d.find_element(By.ID, "f-q"))
    search.send_keys("TUYEN DUNG")
    click_and_load(browser, browser.find_element(By.ID, "filter-button"))
    rows = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#tasks tbody tr"))
    assert len(rows) == 1 and "tuyển dụng viên chức" in rows[0].text
    search = browser.find_element(By.ID, "f-q")
    search.clear()
    Select(browser.find_element(By.ID, "f-unit")).select_by_visible_text("Phòng Quản lý Công nghệ và Đổi mới sáng tạo")
    click_and_load(browser, browser.find_element(By.ID, "filter-button"))
    rows = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#tasks tbody tr"))
    assert len(rows) == 3 and all("Phòng Quản lý Công nghệ" in r.text for r in rows)
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, '[data-sort="deadline"]'))
    rows = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#tasks tbody tr"))
    assert "7h30" in rows[0].text or "18/02/2025" in rows[0].text


def test_extend_a_task_and_the_officer_is_told_in_the_standin(browser, live):
    url, runtime, standin = live
    By, Select, wait = helpers(browser)
    standin.state.touch(HUNG)
    sign_in(browser, url)
    upload(browser, url, SEED)
    wait.until(lambda d: d.find_element(By.ID, "publish-button")).click()
    wait.until(lambda d: d.find_elements(By.ID, "totals"))
    with runtime.session(read_only=True) as session:
        task_id = session.exec(select(Task).where(Task.ref == "1.2")).one().id  # given to Lê Hùng
    browser.get(f"{url}/console/tasks/{task_id}")
    Select(wait.until(lambda d: d.find_element(By.ID, "extend-authority"))).select_by_visible_text(
        "Trần Ngọc Lâm – Giám đốc Sở")
    day = (utcnow() + timedelta(days=30)).date()
    browser.execute_script("document.getElementById('extend-day').value = arguments[0];", day.isoformat())
    browser.find_element(By.ID, "extend-note").send_keys("chờ ý kiến các phòng")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, "#extend-form button"))
    flash = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".flash-ok"))
    assert "theo ý kiến của Trần Ngọc Lâm" in flash.text and "Lê Hùng" in flash.text
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not standin.state.messages(HUNG):
        time.sleep(0.1)
    (told,) = [m["text"] for m in standin.state.messages(HUNG)]
    assert told.startswith(f"Việc #{task_id} (")
    assert "đã được Văn phòng Sở (theo ý kiến của Trần Ngọc Lâm) gia hạn đến" in told
    assert "Duyệt gia hạn" in browser.find_element(By.ID, "history").text


def test_add_an_officer_issue_a_code_and_link_from_the_simulator(browser, live):
    url, runtime, standin = live
    By, Select, wait = helpers(browser)
    sign_in(browser, url)
    browser.get(url + "/console/directory")
    wait.until(lambda d: d.find_element(By.ID, "add-officer")).click()
    wait.until(lambda d: d.find_element(By.ID, "full_name")).send_keys("Mai Văn Mới")
    browser.find_element(By.ID, "title").send_keys("Chuyên viên")
    Select(browser.find_element(By.ID, "unit_id")).select_by_visible_text("Phòng Quản lý Khoa học")
    Select(browser.find_element(By.ID, "role")).select_by_visible_text("Chuyên viên")
    browser.find_element(By.ID, "save-officer").click()
    wait.until(lambda d: d.find_element(By.ID, "link-code-button")).click()
    code = wait.until(lambda d: d.find_element(By.ID, "link-code")).text
    assert browser.find_element(By.CSS_SELECTOR, "#link-qr svg")

    browser.get(standin.url + "/simulator")
    wait.until(lambda d: d.find_element(By.ID, "user-search")).send_keys("mai van moi")
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".user-item")) == 1)
    item = browser.find_element(By.CSS_SELECTOR, ".user-item")
    user_id = item.get_attribute("data-user-id")
    item.click()
    browser.find_element(By.ID, "composer-input").send_keys(f"đăng ký {code}")
    browser.find_element(By.ID, "send-button").click()
    reply = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".msg.oa .text"))
    assert reply.text.startswith("Đã liên kết tài khoản Zalo này với anh/chị Mai Văn Mới (Phòng Quản lý Khoa học)")
    with runtime.session(read_only=True) as session:
        assert session.exec(select(Officer).where(Officer.full_name == "Mai Văn Mới")).one().zalo_user_id == user_id


def test_download_both_reports(browser, live, tmp_path):
    url, runtime, _ = live
    By, _, wait = helpers(browser)
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    sign_in(browser, url)
    upload(browser, url, SEED)
    wait.until(lambda d: d.find_element(By.ID, "publish-button")).click()
    wait.until(lambda d: d.find_elements(By.ID, "totals"))
    browser.get(url + "/console/report")
    wait.until(lambda d: d.find_element(By.ID, "download")).click()
    browser.find_element(By.CSS_SELECTOR, "#docx-reports a").click()

    def downloaded(suffix: str) -> Path:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            found = [p for p in tmp_path.glob(f"*{suffix}") if p.stat().st_size]
            if found:
                return found[0]
            time.sleep(0.1)
        raise AssertionError(f"no {suffix} downloaded")

    workbook = load_workbook(io.BytesIO(downloaded(".xlsx").read_bytes()))
    sheet = workbook["Nhiệm vụ"]
    assert sheet.cell(3, 1).value == "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ"
    with runtime.session(read_only=True) as session:
        count = len(session.exec(select(Task)).all())
    assert len([r for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[0]]) == count
    document = docx.Document(io.BytesIO(downloaded(".docx").read_bytes()))
    texts = [p.text for p in document.paragraphs]
    assert "Kết quả thực hiện Thông báo kết luận tuần 7" in texts
    assert len(document.tables[1].rows) == count + 1
