"""Who may open the console: the password when one is set, else only this machine; forms need their token."""

from __future__ import annotations

import io
import logging
import re

from sqlmodel import select

from storage.models import Notice
from tests.conftest import SAMPLES
from tests.fixtures.console import PASSWORD, csrf_token, post_form, upload

SEED = SAMPLES / "thong-bao-ket-luan-tuan-7-2025.txt"


def test_with_a_password_every_page_asks_to_sign_in_first(locked_client):
    for page in ("/console/", "/console/import", "/console/directory", "/console/deliveries", "/console/report.xlsx"):
        response = locked_client.get(page)
        assert response.status_code == 302 and "/console/sign-in" in response.headers["Location"], page
    page = locked_client.get("/console/sign-in").get_data(as_text=True)
    assert "Mật khẩu quản trị" in page and 'type="password"' in page


def test_the_guard_covers_every_console_page(locked_client):
    """Each page's own blueprint nests under `console`, whose guard runs first for all of them."""
    app = locked_client.application
    rules = [rule for rule in app.url_map.iter_rules()
             if rule.rule.startswith("/console") and rule.endpoint not in ("console.static", "console.access.sign_in")]
    assert len(rules) >= 13
    for rule in rules:
        path = re.sub(r"<any\(([^,)]+)[^>]*>", r"\1", re.sub(r"<int:\w+>", "1", rule.rule))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = locked_client.open(path, method=method)
            assert response.status_code == 302, (method, path)
            assert "/console/sign-in" in response.headers["Location"], (method, path)


def test_a_wrong_password_is_refused_and_the_right_one_opens_the_console(locked_client, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = post_form(locked_client, "/console/sign-in", {"password": "mat khau sai"}, page="/console/sign-in")
    assert wrong.status_code == 401 and "Mật khẩu không đúng." in wrong.get_data(as_text=True)
    assert locked_client.get("/console/").status_code == 302

    right = post_form(locked_client, "/console/sign-in", {"password": PASSWORD, "next": "/console/directory"},
                      page="/console/sign-in")
    assert right.status_code == 302 and right.headers["Location"].endswith("/console/directory")
    assert "Tổng quan" in locked_client.get("/console/").get_data(as_text=True)
    assert PASSWORD not in caplog.text and "mat khau sai" not in caplog.text

    post_form(locked_client, "/console/sign-out")
    assert locked_client.get("/console/").status_code == 302


def test_a_form_without_its_token_is_refused(locked_client):
    csrf_token(locked_client, "/console/sign-in")  # the session exists, the form just lacks the token
    refused = locked_client.post("/console/sign-in", data={"password": PASSWORD})
    assert refused.status_code == 400 and "tải lại trang" in refused.get_data(as_text=True)
    forged = locked_client.post("/console/sign-in", data={"password": PASSWORD, "csrf_token": "forged"})
    assert forged.status_code == 400
    assert locked_client.get("/console/").status_code == 302  # still signed out


def test_sign_in_never_sends_the_browser_to_another_site(locked_client):
    response = post_form(locked_client, "/console/sign-in", {"password": PASSWORD, "next": "https://evil.example/x"},
                         page="/console/sign-in")
    assert response.headers["Location"].endswith("/console/")


def test_without_a_password_only_this_machine_gets_in(client):
    assert client.get("/console/").status_code == 200
    assert "chỉ mở được từ chính máy chủ (127.0.0.1)" in client.get("/console/").get_data(as_text=True)
    remote = client.get("/console/", environ_base={"REMOTE_ADDR": "192.168.1.20"})
    assert remote.status_code == 403 and "127.0.0.1" in remote.get_data(as_text=True)
    proxied = client.get("/console/", headers={"X-Forwarded-For": "203.0.113.9"})
    assert proxied.status_code == 403
    # and a remote visitor cannot post either, token or not
    token = csrf_token(client, "/console/import")
    posted = client.post("/console/notices/1/publish", data={"csrf_token": token},
                         environ_base={"REMOTE_ADDR": "192.168.1.20"})
    assert posted.status_code == 403


def test_posting_without_the_token_changes_nothing_even_from_this_machine(client, runtime, directory):
    refused = client.post("/console/import", data={"notice": (io.BytesIO(SEED.read_bytes()), SEED.name)},
                          content_type="multipart/form-data")
    assert refused.status_code == 400
    with runtime.session(read_only=True) as session:
        assert session.exec(select(Notice)).all() == []
    assert upload(client, SEED).status_code == 302  # with the token it goes through


def test_guessing_the_password_is_stopped_after_a_few_tries(locked_client):
    for _ in range(5):
        assert post_form(locked_client, "/console/sign-in", {"password": "đoán"}, page="/console/sign-in").status_code == 401
    blocked = post_form(locked_client, "/console/sign-in", {"password": PASSWORD}, page="/console/sign-in")
    assert blocked.status_code == 429 and "sai mật khẩu nhiều lần" in blocked.get_data(as_text=True)
    assert locked_client.get("/console/").status_code == 302


def test_the_guessing_limit_lifts_after_its_window():
    from datetime import datetime, timedelta, timezone

    from console.auth import MAX_WRONG_PASSWORDS, WRONG_PASSWORD_WINDOW, blocked

    start = datetime(2025, 2, 17, 8, 0, tzinfo=timezone.utc)
    failures = [start + timedelta(seconds=10 * n) for n in range(MAX_WRONG_PASSWORDS)]
    assert blocked(failures, failures[-1]) and not blocked(failures[:-1], failures[-1])
    assert not blocked(failures, start + WRONG_PASSWORD_WINDOW + timedelta(seconds=1))  # the first is a window old
