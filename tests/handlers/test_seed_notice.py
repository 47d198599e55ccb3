"""The sample notice imported and published as the office would, then read by officers on Zalo."""

from __future__ import annotations

import pytest
from sqlmodel import select

from notices.importer import import_file, publish_notice
from storage.models import Task, TaskAssignee, utcnow
from tests.conftest import SAMPLES
from tests.fixtures.db import both_databases
from tests.handlers import factories as f
from tests.handlers.factories import listed

pytestmark = both_databases


@pytest.fixture
def seed(chat, runtime, settings):
    with runtime.session() as session:
        report = import_file(session, SAMPLES / "thong-bao-ket-luan-tuan-7-2025.txt", settings=settings)
        publish_notice(session, report.notice_id, settings, utcnow())
    return report


def ids(runtime, unit_code: str, ref: str | None = None) -> list[int]:
    with runtime.session() as session:
        query = select(Task.id).where(Task.unit_id == f.unit(session, unit_code).id)
        if ref:
            query = query.where(Task.ref == ref)
        return list(session.exec(query.order_by(Task.id)))


def test_officers_read_and_close_the_seed_notices_tasks(chat, runtime, seed):
    qlcn = ids(runtime, "QLCN")
    # 2.1: meeting 13h30 18/02; 2.2: 13h30 19/02; 2.3: 7h30 18/02.
    [first_1330, second_1330, first_0730] = [ids(runtime, "QLCN", ref)[0] for ref in ("2.1", "2.2", "2.3")]
    binh = chat.say("Phạm Thị Bình", "việc của tôi")
    assert sorted(listed(binh)) == qlcn
    # Most urgent first: 7h30 on the 18th, then 13h30 on the 18th, then the 19th.
    assert [n for n in listed(binh) if n in (first_1330, second_1330, first_0730)] == [
        first_0730, first_1330, second_1330]
    # Lines say what the work is about: the boilerplate that opens the task is skipped.
    assert f"#{first_1330} – quá hạn " in binh[0] and " – dự thảo Chính sách đột phá về đổi mới công nghệ" in binh[0]
    assert "Tiếp tục bổ sung, chỉnh sửa, hoàn thiện" not in binh[0]

    # "Các đơn vị thuộc Sở": each centre has it as its own.
    assert ids(runtime, "TTCGCN", "7.1")[0] in listed(chat.say("Ngô Thị Mai", "việc của tôi"))

    with runtime.session() as session:
        hung_task = session.exec(select(TaskAssignee.task_id).where(
            TaskAssignee.officer_id == f.officer(session, "Lê Hùng").id)).one()
    assert listed(chat.say("Lê Hùng", "việc của tôi")) == [hung_task]
    detail = chat.say("Lê Hùng", f"chi tiết {hung_task}")[0]
    assert "Thông báo kết luận tuần 7" in detail and "Người được giao: Lê Hùng" in detail
    [asked] = chat.say("Lê Hùng", "xong")
    assert asked.startswith(f"Báo xong việc #{hung_task} – tham mưu theo dõi, quản trị")
    assert chat.say("Lê Hùng", chat.last_buttons()[0]) == [f"Đã ghi nhận việc #{hung_task} xong. Cảm ơn anh/chị!"]
