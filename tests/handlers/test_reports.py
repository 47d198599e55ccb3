"""Finding tasks ("tìm") among those the sender may see, and the summary on demand ("tổng hợp")."""

from __future__ import annotations

from datetime import timedelta

from storage.models import ProgressReport, utcnow
from tests.fixtures.db import both_databases
from tests.handlers import factories as f
from tests.handlers.factories import listed

pytestmark = both_databases

BINH, HUNG, LAM, NHUNG = "Phạm Thị Bình", "Lê Hùng", "Trần Ngọc Lâm", "Trần Thị Nhung"


def test_search_finds_what_the_sender_may_see_typed_any_way(chat, runtime, week):
    with runtime.session() as session:
        fair = f.task(session, "QLCN", "Tổ chức Techfest Quảng Trị 2025 và Ngày hội khởi nghiệp", deadline=f.days(20))
        other = f.task(session, "QLKH", "Báo cáo kết quả Techfest cấp vùng", deadline=f.days(9))
        done = f.task(session, "QLCN", "Tổng kết TECHFEST 2024", deadline=f.days(-40))
        f.task(session, "QLCN", "Lê Hùng rà soát chính sách xã hội hóa", deadline=f.days(3))  # "lê", "hội": no phrase
        done.status, done.closed_at = "done", utcnow()
        session.add(done)
    [found] = chat.say(BINH, "tìm techfest")
    assert found.startswith("Kết quả tìm «techfest» (2):")
    assert listed([found]) == [fair.id, done.id]  # open first; another unit's task is not shown to her
    assert f"#{done.id} – " in found and found.rstrip().endswith("(đã xong)")
    assert listed(chat.say(LAM, "Tìm TECHFEST")) == [other.id, fair.id, done.id]  # a leader sees every unit
    assert chat.last_sent().text.startswith("Kết quả tìm «TECHFEST» (3):")
    assert chat.say(BINH, "tìm ngày hội khởi nghiệp")[0].startswith("Kết quả tìm «ngày hội khởi nghiệp» (1):")
    assert chat.say(BINH, "tìm lễ hội") == ["Không tìm thấy việc nào có «lễ hội» trong các việc anh/chị xem được."]
    assert chat.say(HUNG, "tìm techfest") == [
        "Không tìm thấy việc nào có «techfest» trong các việc anh/chị xem được."]
    assert chat.say(HUNG, "tìm") == ["Anh/chị ghi từ cần tìm, ví dụ «tìm techfest»."]


def test_the_summary_on_demand_covers_the_readers_scope_and_says_when_progress_came(chat, runtime, week):
    with runtime.session() as session:
        session.add(ProgressReport(task_id=week["meeting"], officer_id=f.officer(session, BINH).id,
                                   unit_id=f.unit(session, "QLCN").id, at=utcnow() - timedelta(days=2),
                                   text="đã có đề cương"))
    [head] = chat.say(BINH, "tổng hợp")
    assert head.startswith("Tổng hợp tuần ") and "— Phòng Quản lý Công nghệ và Đổi mới sáng tạo" in head
    assert f"#{week['meeting']} " in head and "· có báo cáo tiến độ 2 ngày trước" in head
    assert f"#{week['survey']} " not in head
    [leader] = chat.say(LAM, "tổng hợp")
    assert "— toàn Sở" in leader and "Phòng Quản lý Khoa học" in leader
    [member] = chat.say(HUNG, "tổng hợp")
    assert f"Việc anh/chị được giao (1):\n#{week['report']} " in member
    assert chat.say("Đặng Quốc Huy", "tổng hợp") == [
        "Chưa có gì để tổng hợp: anh/chị và đơn vị không có việc nào đang mở."]
