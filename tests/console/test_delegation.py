"""The office hands a task to an officer (and takes it back) on a head's or a leader's word, by
the chat's rule; the officer and the head are told as in chat; the task page shows who holds it
and the progress reports with their attachments; the list filters by the officer it is handed to."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.models import Officer, Reminder, Task, TaskDelegate, TaskEvent, utcnow
from tasks import lifecycle
from tests.fixtures.console import messages, officer_id, post_form, table_rows
from tests.fixtures.db import both_databases
from tests.fixtures.scheduler import publish_seed

CHAU_ZALO = "5000000000000000006"


@pytest.fixture
def seed(runtime, office):
    """The sample notice, published; Hoàng Minh Châu (QLCN) linked to Zalo too."""
    publish_seed(runtime, utcnow())
    with runtime.session() as session:
        chau = session.exec(select(Officer).where(Officer.full_name == "Hoàng Minh Châu")).one()
        chau.zalo_user_id, chau.last_interaction_at = CHAU_ZALO, utcnow()
        return {t.ref: t.id for t in session.exec(select(Task).order_by(Task.id)) if t.ref != "7.1"}


def _said(client, response) -> list[str]:
    return messages(client.get(response.headers["Location"]).get_data(as_text=True), "ok")


@both_databases
def test_delegate_on_a_heads_word_tells_the_officer_and_the_head(client, runtime, fake_zalo, seed):
    task_id = seed["2.1"]  # Phòng QLCN's, head Phạm Thị Bình
    page = f"/console/tasks/{task_id}"
    with runtime.session() as session:
        head = session.exec(select(Officer).where(Officer.full_name == "Phạm Thị Bình")).one()
        chau = officer_id(session, "Hoàng Minh Châu")
        leader = officer_id(session, "Trần Ngọc Lâm")
    html = client.get(page).get_data(as_text=True)
    assert 'id="delegate-form"' in html and "Hoàng Minh Châu" in html
    (said,) = _said(client, post_form(client, f"{page}/delegate", {"authority": head.id, "officer": chau}, page=page))
    assert said.startswith(f"Đã giao việc #{task_id} cho Hoàng Minh Châu theo ý kiến của Phạm Thị Bình.")
    runtime.sender.deliver_due()
    (handed,) = fake_zalo.texts_to(CHAU_ZALO)
    assert handed.startswith(f"Anh/chị được Văn phòng Sở (theo ý kiến của Phạm Thị Bình) giao việc #{task_id}:")
    (to_head,) = fake_zalo.texts_to(head.zalo_user_id)
    assert to_head.startswith(f"Văn phòng Sở (theo ý kiến của Phạm Thị Bình) đã giao việc #{task_id} (")
    assert to_head.endswith("cho Hoàng Minh Châu.")
    with runtime.session(read_only=True) as session:
        handed_row = session.get(TaskDelegate, (task_id, chau))
        assert handed_row.delegated_by_id == head.id and handed_row.revoked_at is None
        event = session.exec(select(TaskEvent).where(TaskEvent.task_id == task_id,
                                                     TaskEvent.action == "delegated")).one()
        assert event.data["via"] == "console" and event.actor_id == head.id
        assert session.exec(select(Reminder).where(Reminder.task_id == task_id, Reminder.officer_id == chau)).all()
    facts = {row[0]: row[1] for row in table_rows(client.get(page).get_data(as_text=True), "task-facts")}
    assert facts["Được giao lại cho"].startswith("Hoàng Minh Châu")
    # The list filters by the officer it is handed to.
    rows = table_rows(client.get("/console/tasks", query_string={"delegate": chau}).get_data(as_text=True), "tasks")
    assert [r[0].split()[0] for r in rows[1:]] == [f"#{task_id}"] and "giao cho Hoàng Minh Châu" in rows[1][1]
    # Twice is nothing; a leader takes it back.
    again = post_form(client, f"{page}/delegate", {"authority": head.id, "officer": chau}, page=page)
    assert "đã giao cho Hoàng Minh Châu từ trước" in messages(client.get(again.headers["Location"]).get_data(as_text=True))[0]
    (said,) = _said(client, post_form(client, f"{page}/revoke", {"authority": leader, "officer": chau}, page=page))
    assert said.startswith(f"Đã thu hồi việc #{task_id} từ Hoàng Minh Châu theo ý kiến của Trần Ngọc Lâm.")
    runtime.sender.deliver_due()
    assert "không cần theo dõi việc này nữa" in fake_zalo.texts_to(CHAU_ZALO)[-1]
    assert client.get("/console/tasks", query_string={"delegate": chau}).status_code == 200
    with runtime.session(read_only=True) as session:
        assert session.get(TaskDelegate, (task_id, chau)).revoked_at is not None


def test_only_the_chats_delegators_and_their_staff(client, runtime, seed):
    task_id = seed["2.1"]
    page = f"/console/tasks/{task_id}"
    with runtime.session() as session:
        other_head = officer_id(session, "Võ Thị Dung")  # head of Phòng QLKH
        head = officer_id(session, "Phạm Thị Bình")
        outsider = officer_id(session, "Lê Hùng")  # Văn phòng: not the task's unit
        chau = officer_id(session, "Hoàng Minh Châu")
    for authority, officer in ((other_head, chau), (head, outsider), (head, head)):
        refused = post_form(client, f"{page}/delegate", {"authority": authority, "officer": officer}, page=page)
        (said,) = messages(client.get(refused.headers["Location"]).get_data(as_text=True))
        assert "Không có gì thay đổi" in said
    post_form(client, f"{page}/close", {"authority": head}, page=page)
    refused = post_form(client, f"{page}/delegate", {"authority": head, "officer": chau}, page=page)
    assert "đã xong" in messages(client.get(refused.headers["Location"]).get_data(as_text=True))[0]
    with runtime.session(read_only=True) as session:
        assert not session.exec(select(TaskDelegate).where(TaskDelegate.task_id == task_id)).all()


def test_the_page_shows_progress_reports_and_their_attachments(client, runtime, settings, seed):
    task_id = seed["2.1"]
    with runtime.session() as session:
        task = session.get(Task, task_id)
        chau = session.exec(select(Officer).where(Officer.full_name == "Hoàng Minh Châu")).one()
        photo = {"type": "image", "url": "https://zalo.example/photo.jpg", "name": ""}
        report = lifecycle.report_progress(session, task, chau, chau.unit_id, "đã xong dự thảo", [photo], utcnow())
        lifecycle.attach(session, task, report, chau, {"type": "file", "url": "javascript:alert(1)", "name": "x.docx"},
                         utcnow())
    html = client.get(f"/console/tasks/{task_id}").get_data(as_text=True)
    section = html[html.index('id="progress"'):]
    assert "Hoàng Minh Châu" in section and "đã xong dự thảo" in section
    assert 'href="https://zalo.example/photo.jpg"' in section and "x.docx" in section
    assert "javascript:" not in section
    assert "Báo cáo tiến độ" in html[html.index('id="history"'):]


def test_both_reports_name_the_officer_handed_the_task_and_its_progress(client, runtime, settings, seed):
    import io

    import docx
    from openpyxl import load_workbook

    from console.report import HEADER_ROW

    task_id = seed["2.1"]
    with runtime.session() as session:
        task = session.get(Task, task_id)
        head = session.exec(select(Officer).where(Officer.full_name == "Phạm Thị Bình")).one()
        chau = session.exec(select(Officer).where(Officer.full_name == "Hoàng Minh Châu")).one()
        lifecycle.delegate(session, task, head, chau, chau.unit_id, settings, utcnow())
        lifecycle.report_progress(session, task, chau, chau.unit_id, "đã lấy ý kiến", [], utcnow())
        lifecycle.report_progress(session, task, chau, chau.unit_id, "đã xong dự thảo",
                                  [{"type": "image", "url": "https://zalo.example/a.jpg", "name": ""}], utcnow())
        notice_id = task.notice_id
    today = utcnow().astimezone(settings.zone).date()
    sheet = load_workbook(io.BytesIO(client.get("/console/report.xlsx").data))["Nhiệm vụ"]
    header = [c.value for c in sheet[HEADER_ROW]]
    row = next(dict(zip(header, r, strict=False)) for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
               if r[0] == task_id)
    assert row["Người được giao lại"] == "Hoàng Minh Châu"
    assert row["Tiến độ"] == (f"{today:%d/%m/%Y} – Hoàng Minh Châu: đã xong dự thảo (1 ảnh) "
                              "(và 1 báo cáo trước đó)")
    document = docx.Document(io.BytesIO(client.get(f"/console/notices/{notice_id}/report.docx").data))
    cells = next(r.cells for r in document.tables[1].rows if f"(#{task_id})" in r.cells[1].text)
    assert cells[2].text.endswith("(giao Hoàng Minh Châu)")
    assert "Tiến độ: " in cells[4].text and "đã xong dự thảo" in cells[4].text
