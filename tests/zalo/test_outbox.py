"""The outbox: a key is queued once; what was held outside Zalo's 7-day window is folded into one."""

from __future__ import annotations

from datetime import timedelta

from storage.models import utcnow
from tests.fixtures.db import both_databases
from tests.zalo.helpers import BINH, queue, set_last_interaction, status


@both_databases
def test_a_key_is_queued_once_and_sent_once(runtime, directory, fake_zalo):
    set_last_interaction(runtime, utcnow())
    queue(runtime, "reminder:7:5:2025-02-18T08:00")
    queue(runtime, "reminder:7:5:2025-02-18T08:00", text="again")
    runtime.sender.deliver_due()
    runtime.sender.deliver_due()
    assert fake_zalo.texts_to(BINH) == ["Nhắc việc #7"]
    row = status(runtime, "reminder:7:5:2025-02-18T08:00")
    assert row.status == "sent" and row.zalo_message_id == fake_zalo.sent[0].message_id


def test_outside_the_window_a_reminder_is_held_then_folded_into_one_when_they_write(chat, runtime, fake_zalo):
    set_last_interaction(runtime, utcnow() - timedelta(days=8))
    queue(runtime, "r1", text="Nhắc việc #1: hạn hôm nay")
    queue(runtime, "r2", text="Nhắc việc #2: hạn thứ Sáu")
    runtime.sender.deliver_due()
    assert fake_zalo.sent == []
    assert status(runtime, "r1").status == status(runtime, "r2").status == "held"

    chat.say("Phạm Thị Bình", "giúp")
    digest = [m.text for m in fake_zalo.sent if "Nhắc việc #1" in m.text]
    assert len(digest) == 1 and "Nhắc việc #2" in digest[0]
    assert status(runtime, "r1").status == "folded"
    chat.say("Phạm Thị Bình", "giúp")
    assert len([m for m in fake_zalo.sent if "Nhắc việc #1" in m.text]) == 1


def test_held_reminders_fold_to_the_newest_per_task_and_drop_a_task_closed_by_that_very_message(chat, runtime, fake_zalo):
    from tests.handlers import factories

    set_last_interaction(runtime, utcnow() - timedelta(days=8))
    with runtime.session() as session:
        first = factories.task(session, "QLCN", "Hoàn thiện dự thảo Chính sách đột phá", deadline=factories.days(1))
        second = factories.task(session, "QLCN", "Xây dựng đề cương kịch bản Lễ hội", deadline=factories.days(2))
    queue(runtime, "a1", text=f"Nhắc việc #{first.id}: hạn ngày kia", task_id=first.id)
    queue(runtime, "a2", text=f"Nhắc việc #{first.id}: hạn ngày mai", task_id=first.id)
    queue(runtime, "b1", text=f"Nhắc việc #{second.id}: hạn ngày kia", task_id=second.id)
    queue(runtime, "b2", text=f"Nhắc việc #{second.id}: hạn ngày mai", task_id=second.id)
    runtime.sender.deliver_due()
    assert fake_zalo.sent == []

    chat.say("Phạm Thị Bình", f"xong {first.id}")
    digest = [m.text for m in fake_zalo.sent if "tin chờ gửi" in m.text]
    assert len(digest) == 1
    assert f"Nhắc việc #{second.id}: hạn ngày mai" in digest[0]
    assert f"#{second.id}: hạn ngày kia" not in digest[0] and f"#{first.id}:" not in digest[0]
    assert [status(runtime, k).status for k in ("a1", "a2", "b1", "b2")] == ["superseded", "superseded",
                                                                            "superseded", "folded"]
