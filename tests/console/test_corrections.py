"""A corrected file of a notice already stored: the differences task by task, then the draft
replaced, or the live tasks changed (a new deadline replans, a removed task is cancelled with a
note, nothing closed is reopened)."""

from __future__ import annotations

from sqlmodel import select

from storage.models import Reminder, Task, TaskEvent, utcnow
from tests.conftest import SAMPLES
from tests.fixtures.console import messages, officer_id, post_form, table_rows, upload
from tests.fixtures.db import both_databases

SEED = SAMPLES / "thong-bao-ket-luan-tuan-7-2025.txt"
HIRING = "- Chủ trì, phối hợp với các đơn vị xây dựng kế hoạch tổ chức tuyển dụng viên chức tại các đơn vị thuộc Sở.\n\n"
NEW_TASK = "- Chuẩn bị hội trường cho Hội nghị sơ kết quý I, hoàn thành **trong ngày 28/02/2025**.\n\n"


def corrected() -> bytes:
    """The seed, corrected: 1.1 due three days later, the hiring task gone, a new task at the end of 1."""
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("**trong ngày 21/02/2025**", "**trong ngày 24/02/2025**", 1).replace(HIRING, "", 1)
    text = text.replace("2. Phòng Quản lý CN&ĐMST", NEW_TASK + "2. Phòng Quản lý CN&ĐMST", 1)
    return text.encode("utf-8")


def live(runtime, notice_id: int) -> dict[int, Task]:
    with runtime.session(read_only=True) as session:
        return {t.id: t for t in session.exec(select(Task).where(Task.notice_id == notice_id))}


def by_text(tasks: dict[int, Task], start: str) -> Task:
    (found,) = [t for t in tasks.values() if t.text.startswith(start)]
    return found


def test_a_corrected_draft_shows_its_differences_then_replaces_the_draft(client, runtime, directory):
    notice_id = int(upload(client, SEED).headers["Location"].rsplit("/", 1)[1])
    before = live(runtime, notice_id)
    response = upload(client, name="tuan-7-sua.txt", data=corrected())
    assert "/console/imports/corrections/" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    changes: dict[str, list] = {}
    for row in table_rows(page, "changes")[1:]:
        changes.setdefault(row[1], []).append(row)
    assert {kind: len(found) for kind, found in changes.items()} == {"Sửa": 1, "Thêm": 1, "Bỏ": 1}
    changes = {kind: found[0] for kind, found in changes.items()}
    assert "trong ngày 21/02/2025 (21/02/2025) → trong ngày 24/02/2025 (24/02/2025)" in changes["Sửa"][3]
    assert changes["Thêm"][0].startswith("1.") and "hội trường" in changes["Thêm"][2]
    assert "tuyển dụng viên chức" in changes["Bỏ"][2]
    assert live(runtime, notice_id) == before  # nothing changes before «Thay bản nháp»

    applied = post_form(client, response.headers["Location"] + "/apply", page=response.headers["Location"])
    assert applied.headers["Location"].endswith(f"/console/notices/{notice_id}")
    shown = messages(client.get(applied.headers["Location"]).get_data(as_text=True), "ok")
    assert shown == ["Đã áp dụng bản sửa: 1 việc thay đổi, 1 việc thêm, 1 việc bỏ."]
    after = live(runtime, notice_id)
    assert str(by_text(after, "Chủ trì, phối hợp với các phòng").deadline_date) == "2025-02-24"
    assert by_text(after, "Chủ trì, phối hợp với các đơn vị xây dựng").status == "cancelled"
    assert not by_text(after, "Chuẩn bị hội trường").published
    again = upload(client, name="lan-nua.txt", data=corrected())  # the corrected file is now the notice's own
    assert again.headers["Location"].endswith("/console/import")


@both_databases
def test_a_corrected_published_notice_changes_the_live_tasks(client, runtime, directory, office):
    notice_id = int(upload(client, SEED).headers["Location"].rsplit("/", 1)[1])
    post_form(client, f"/console/notices/{notice_id}/publish")
    before = live(runtime, notice_id)
    hiring = by_text(before, "Chủ trì, phối hợp với các đơn vị xây dựng")
    first = by_text(before, "Chủ trì, phối hợp với các phòng")
    with runtime.session() as session:
        vp_head = officer_id(session, "Trần Thị Nhung")
        reminders_before = {r.planned_at for r in session.exec(select(Reminder).where(Reminder.task_id == first.id))}
    post_form(client, f"/console/tasks/{hiring.id}/close", {"authority": vp_head}, page=f"/console/tasks/{hiring.id}")

    response = upload(client, name="tuan-7-sua.txt", data=corrected())
    post_form(client, response.headers["Location"] + "/apply", page=response.headers["Location"])
    after = live(runtime, notice_id)
    assert by_text(after, "Chủ trì, phối hợp với các đơn vị xây dựng").status == "done"  # closed: left as it is
    new = by_text(after, "Chuẩn bị hội trường")
    assert new.published and new.status == "open"
    with runtime.session(read_only=True) as session:
        reminders_after = {r.planned_at for r in session.exec(select(Reminder).where(Reminder.task_id == first.id))}
        assert reminders_after != reminders_before  # the new deadline replanned them
        amended = session.exec(select(TaskEvent).where(TaskEvent.task_id == first.id,
                                                       TaskEvent.action == "amended")).one()
        assert "tuan-7-sua.txt" in amended.note
        assert session.exec(select(TaskEvent).where(TaskEvent.task_id == hiring.id, TaskEvent.action == "noted")).one()


def test_a_different_notice_of_the_same_meeting_may_be_kept_apart(client, runtime, directory):
    upload(client, SEED)
    response = upload(client, name="tuan-7-sua.txt", data=corrected())
    kept = post_form(client, response.headers["Location"] + "/separate", page=response.headers["Location"])
    assert "/console/notices/" in kept.headers["Location"]
    dropped = upload(client, name="lan-ba.txt", data=corrected() + b"\n")
    assert "/console/import" in dropped.headers["Location"]  # the same reading as the one kept apart
    assert utcnow()
