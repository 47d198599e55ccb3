"""Held messages are rebuilt when released (docs/zalo.md, held messages): after an approval, a
closure and a second summary, what was stale is gone from the bundle and kept in the log with why."""

from __future__ import annotations

from sqlmodel import select

from handlers.replies_changes import decision_buttons
from scheduler.messages import SUMMARY_BUTTONS, task_buttons
from storage.models import ExtensionRequest, Officer, OutboxMessage, Task
from tests.fixtures.scheduler import local, publish_seed, task_id
from zalo.held import release_held
from zalo.messages import Outgoing
from zalo.outbox import enqueue

NHUNG = "Trần Thị Nhung"  # head of the office: asked to decide extensions, told who cannot be reached


def held(session, key: str, officer: Officer, text: str, buttons=(), task=None, kind="reminder") -> int:
    message = enqueue(session, key, Outgoing(officer.zalo_user_id, text, tuple(buttons), task_id=task,
                                             officer_id=officer.id, kind=kind))
    message.status = "held"
    session.add(message)
    return message.id


def test_a_bundle_released_after_an_approval_a_closure_and_a_second_summary_drops_what_went_stale(
        runtime, directory, settings):
    publish_seed(runtime)
    asked, closed, still = task_id(runtime, "2.2"), task_id(runtime, "2.3"), task_id(runtime, "1.1")
    with runtime.session() as session:
        nhung = session.exec(select(Officer).where(Officer.full_name == NHUNG)).one()
        binh = session.exec(select(Officer).where(Officer.full_name == "Phạm Thị Bình")).one()
        ids = {
            "request": held(session, "q", nhung, f"Đề nghị gia hạn việc #{asked} đến 28/02.", decision_buttons(asked),
                            asked, "notice"),
            "closed": held(session, "r1", nhung, f"Nhắc việc #{closed}: hạn hôm nay.", task_buttons(closed), closed),
            "first summary": held(session, "s1", nhung, f"Tổng hợp tuần 8\n#{closed} quá hạn\nChưa liên lạc được "
                                  f"qua Zalo (1):\n• {NHUNG} (Văn phòng Sở): quá 7 ngày không nhắn cho OA",
                                  SUMMARY_BUTTONS, kind="summary"),
            "still": held(session, "r2", nhung, f"Nhắc việc #{still}: hạn thứ Sáu.", task_buttons(still), still),
            "second summary": held(session, "s2", nhung, f"Tổng hợp tuần 9\n#{closed} quá hạn", SUMMARY_BUTTONS,
                                   kind="summary"),
        }
        session.add(ExtensionRequest(task_id=asked, requested_by_id=binh.id, requested_date=local("02-28 00:00").date(),
                                     reason="chờ số liệu", status="approved", created_at=local("02-20 09:00"),
                                     decided_by_id=nhung.id, decided_at=local("02-20 09:03")))  # decided meanwhile
        task = session.get(Task, closed)
        task.status, task.closed_at = "done", local("02-21 10:00")  # closed meanwhile
        session.add(task)

    with runtime.session() as session:  # Nhung writes on Monday morning
        digest = release_held(session, nhung.zalo_user_id, settings, local("02-24 07:30"))
    with runtime.session(read_only=True) as session:
        rows = {name: session.get(OutboxMessage, message_id) for name, message_id in ids.items()}

    assert [name for name, row in rows.items() if row.status == "folded"] == ["still", "second summary"]
    assert rows["request"].last_error == f"bỏ khi gửi lại: đề nghị gia hạn việc #{asked} đã được quyết định"
    assert rows["closed"].last_error == f"bỏ khi gửi lại: việc #{closed} đã đóng"
    assert rows["first summary"].last_error == "bỏ khi gửi lại: đã có bản tổng hợp mới hơn"
    assert rows["second summary"].last_error == "gộp, viết lại theo tình hình lúc gửi"
    text = digest.text
    assert text.startswith("Trong thời gian anh/chị chưa nhắn cho Nhắc Việc, có 2 tin chờ gửi")
    assert text.index(f"Nhắc việc #{still}") < text.index("Tổng hợp")  # in the order they were queued
    assert f"#{closed}" not in text and f"#{asked} đến" not in text  # closed; decided
    assert NHUNG not in text  # not told that she herself cannot be reached
    assert text.count("Tổng hợp") == 1  # only the newest summary, rebuilt now
    assert not any(b["payload"].startswith("duyệt") for b in digest.buttons)
