"""`make run` as a newcomer meets it: the start page, the simulator, Phạm Thị Bình asks for her work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from dev.processes import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dev_server(tmp_path):
    port = free_port()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'nhacviec.db'}"}
    process = subprocess.Popen([sys.executable, "-m", "dev", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("the dev server did not start")
    yield url
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.browser
def test_a_newcomer_picks_pham_thi_binh_in_the_simulator_and_sees_her_work(dev_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 15)
    browser.get(dev_server + "/")
    browser.find_element(By.ID, "simulator-link").click()
    wait.until(lambda d: d.find_element(By.ID, "user-search")).send_keys("Phạm Thị Bình")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".user-item"))[0].click()
    browser.find_element(By.ID, "composer-input").send_keys("việc của tôi")
    browser.find_element(By.ID, "send-button").click()
    reply = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".msg.oa"))[-1]
    # Each line says what the task is about, the notice's boilerplate opening skipped.
    assert "#" in reply.text and "– dự thảo Chính sách đột phá" in reply.text
    assert any(b.text.startswith("Xong #") for b in reply.find_elements(By.CSS_SELECTOR, ".qr-btn"))
