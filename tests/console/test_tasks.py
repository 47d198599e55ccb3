"""Việc: the task list (search, filters, sorting, pages) and one task's page, where the office
closes, reopens, extends or notes on someone's behalf and the people concerned are told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from storage.models import Officer, OutboxMessage, Reminder, Task, TaskEvent, utcnow
from tests.fixtures.console import make_notice, make_task, messages, officer_id, post_form, table_rows
from tests.fixtures.db import both_databases
from tests.fixtures.scheduler import publish_seed


def listed(client, **query) -> list[list[str]]:
    return table_rows(client.get("/console/tasks", query_string=query).get_data(as_text=True), "tasks")[1:]


def numbers(client, **query) -> list[str]:
    return [row[0].split()[0] for row in listed(client, **query)]


@pytest.fixture
def seed(runtime, office):
    """The sample notice, published, every linked officer inside Zalo's window; its tasks by ref."""
    publish_seed(runtime, utcnow())
    with runtime.session(read_only=True) as session:
        return {t.ref + (f"/{t.unit_id}" if t.ref == "7.1" else ""): t.id
                for t in session.exec(select(Task).order_by(Task.id))}


@both_databases
def test_search_finds_words_with_or_without_diacritics_and_task_numbers(client, seed):
    everything = numbers(client)
    assert len(everything) == len(seed) and everything[0] == f"#{max(seed.values())}"  # newest first
    hiring = numbers(client, q="TUYEN DUNG vien chuc")  # "tuyển dụng viên chức", typed without diacritics
    assert hiring == [f"#{seed['1.4']}"]
    assert numbers(client, q=f"#{seed['1.2']}") == [f"#{seed['1.2']}"]
    assert numbers(client, q=str(seed["1.3"])) == [f"#{seed['1.3']}"]
    assert numbers(client, q="không có chữ này") == []
    assert numbers(client, q="50%_") == []  # LIKE's own characters are plain text here


@both_databases
def test_filters_by_unit_notice_status_and_week(client, runtime, settings, directory):
    zone = settings.zone
    today = utcnow().astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    with runtime.session() as session:
        notice = make_notice(session, week=48)
        other = make_notice(session, week=49)
        made = {
            "late": make_task(session, notice, "1.1", "VP", last_day=monday - timedelta(days=1), zone=zone),
            "sunday": make_task(session, notice, "1.2", "VP", last_day=monday + timedelta(days=6), zone=zone),
            "later": make_task(session, other, "2.1", "QLCN", last_day=today + timedelta(days=30), zone=zone),
            "open": make_task(session, other, "2.2", "QLCN", last_day=None, zone=zone),
            "done": make_task(session, notice, "1.3", "VP", last_day=today + timedelta(days=3), closed_days_ago=1,
                              zone=zone),
        }
        ids = {name: f"#{task.id}" for name, task in made.items()}
        vp = made["late"].unit_id
    assert sorted(numbers(client, unit=vp)) == sorted([ids["late"], ids["sunday"], ids["done"]])
    assert sorted(numbers(client, notice=other.id)) == sorted([ids["later"], ids["open"]])
    assert numbers(client, status="late") == [ids["late"]]
    assert numbers(client, status="doing") == [ids["open"]]
    assert numbers(client, status="done_on_time") == [ids["done"]]
    assert sorted(numbers(client, status="on_time")) == sorted([ids["sunday"], ids["later"]])
    assert numbers(client, due="week") == [ids["sunday"]]  # the calendar week: Monday to Sunday
    assert numbers(client, due="overdue") == [ids["late"]]
    page = client.get("/console/tasks", query_string={"unit": vp}).get_data(as_text=True)
    assert 'data-status="late"' in page and "Quá hạn <b>1</b>" in " ".join(page.split())


@both_databases
def test_sorting_and_pages(client, runtime, settings, directory):
    zone = settings.zone
    today = utcnow().astimezone(zone).date()
    with runtime.session() as session:
        notice = make_notice(session)
        for n in range(60):
            make_task(session, notice, f"{n}", "VP", last_day=today + timedelta(days=60 - n), zone=zone)
    first = listed(client)
    assert len(first) == 50
    assert len(listed(client, page=2)) == 10 and len(listed(client, page=99)) == 10
    by_deadline = numbers(client, sort="deadline")
    ids = [int(n[1:]) for n in by_deadline]
    assert ids == sorted(ids, reverse=True)  # the last made is due first
    assert ids[0] == 60 and numbers(client, sort="deadline", dir="desc")[0] == "#1"


def test_the_page_of_a_task_shows_what_the_notice_said_and_what_was_planned(client, seed):
    page = client.get(f"/console/tasks/{seed['1.5']}").get_data(as_text=True)
    facts = {row[0]: row[1] for row in table_rows(page, "task-facts")}
    assert facts["Thời hạn"].startswith("trước ngày 21/02/2025") and "ngày cuối: 20/02/2025" in facts["Thời hạn"]
    assert facts["Đơn vị chủ trì"] == "Văn phòng Sở"
    assert "Nhập từ thông báo" in page and "Công bố" in page
    assert client.get("/console/tasks/999999").status_code == 404


def test_extending_from_the_page_tells_the_officer_and_replans(client, runtime, fake_zalo, seed):
    task_id = seed["1.2"]  # given to Lê Hùng, no deadline in the notice
    with runtime.session() as session:
        hung = session.exec(select(Officer).where(Officer.full_name == "Lê Hùng")).one()
        leader = officer_id(session, "Trần Ngọc Lâm")
        task = session.get(Task, task_id)
        task.deadline_kind, task.deadline_date = "on", utcnow().date() + timedelta(days=3)
    day = (utcnow() + timedelta(days=20)).date()
    response = post_form(client, f"/console/tasks/{task_id}/extend",
                         {"authority": leader, "day": day.isoformat(), "note": "chờ số liệu"},
                         page=f"/console/tasks/{task_id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    (said,) = messages(page, "ok")
    assert "theo ý kiến của Trần Ngọc Lâm" in said and "Lê Hùng" in said
    runtime.sender.deliver_due()
    (told,) = fake_zalo.texts_to(hung.zalo_user_id)
    assert told.startswith(f"Việc #{task_id} (")
    assert "đã được Văn phòng Sở (theo ý kiến của Trần Ngọc Lâm) gia hạn đến" in told
    with runtime.session(read_only=True) as session:
        task = session.get(Task, task_id)
        assert (task.deadline_kind, task.deadline_date) == ("on", day)
        event = session.exec(select(TaskEvent).where(TaskEvent.task_id == task_id,
                                                     TaskEvent.action == "extension_approved")).one()
        assert event.actor_id == leader and event.data["via"] == "console"
        assert session.exec(select(Reminder).where(Reminder.task_id == task_id)).all()
    assert "qua bảng điều khiển" in page and "Duyệt gia hạn" in page


def test_only_those_the_chat_allows_may_be_named(client, runtime, seed):
    task_id = seed["2.1"]
    with runtime.session() as session:
        stranger = officer_id(session, "Đỗ Thị Hạnh")  # head of another unit
    refused = post_form(client, f"/console/tasks/{task_id}/close", {"authority": stranger},
                        page=f"/console/tasks/{task_id}")
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "không có quyền" in messages(page)[0] and "Không có gì thay đổi" in messages(page)[0]
    with runtime.session(read_only=True) as session:
        assert session.get(Task, task_id).status == "open"


def test_close_reopen_and_note_on_someones_behalf(client, runtime, fake_zalo, seed):
    task_id = seed["2.1"]
    with runtime.session() as session:
        head = session.exec(select(Officer).where(Officer.full_name == "Phạm Thị Bình")).one()
    page = f"/console/tasks/{task_id}"
    post_form(client, f"{page}/close", {"authority": head.id, "note": "đã trình"}, page=page)
    post_form(client, f"{page}/close", {"authority": head.id}, page=page)  # a second tab: nothing twice
    post_form(client, f"{page}/reopen", {"authority": head.id, "note": "thiếu số liệu"}, page=page)
    post_form(client, f"{page}/note", {"authority": head.id, "note": "=HYPERLINK(\"x\")"}, page=page)
    runtime.sender.deliver_due()
    texts = fake_zalo.texts_to(head.zalo_user_id)
    on_her_word = "Văn phòng Sở (theo ý kiến của Phạm Thị Bình)"
    assert [t.startswith(f"Việc #{task_id} (") for t in texts[:2]] == [True, True]
    assert f"đã được {on_her_word} báo xong: đã trình." in texts[0]
    assert f"đã được {on_her_word} mở lại: thiếu số liệu." in texts[1]
    assert texts[2].startswith(f"{on_her_word} ghi chú cho việc #{task_id} (")
    assert len(texts) == 3
    with runtime.session(read_only=True) as session:
        actions = [e.action for e in session.exec(select(TaskEvent).where(TaskEvent.task_id == task_id)
                                                  .order_by(TaskEvent.id))]
        assert actions[-3:] == ["closed", "reopened", "noted"]
        assert session.exec(select(OutboxMessage).where(OutboxMessage.task_id == task_id)).all()


def test_ids_past_what_a_database_holds_are_not_found(client):
    for path in ("/console/tasks/2147483648", "/console/notices/99999999999999999999",
                 "/console/directory/officers/2147483648"):
        assert client.get(path).status_code == 404, path
    assert client.get("/console/tasks", query_string={"unit": "99999999999", "page": "-3"}).status_code == 200
    assert client.get("/console/deliveries?status=%00").status_code == 400
