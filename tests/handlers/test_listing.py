"""Seeing one's work through the signed webhook: lists, detail, how commands may be typed."""

from __future__ import annotations

import unicodedata

from sqlmodel import select

from bot import create_app, make_runtime
from storage.directory import load_directory
from storage.models import Unit
from tasks.calendar import week_span
from tests.conftest import SAMPLES
from tests.fixtures.chat import signed_post, text_event
from tests.fixtures.db import both_databases
from tests.handlers import factories as f
from tests.handlers.factories import listed

pytestmark = both_databases

BINH, HUNG, LAM, NHUNG = "Phạm Thị Bình", "Lê Hùng", "Trần Ngọc Lâm", "Trần Thị Nhung"


def test_a_member_sees_their_own_tasks_most_urgent_first(chat, week):
    texts = chat.say(HUNG, "việc của tôi")
    assert listed(texts) == [week["report"]]
    assert "hạn " in texts[0] and "Tổng hợp báo cáo" in texts[0]
    assert chat.last_buttons()[0] == f"xong {week['report']}"


def test_a_head_sees_the_units_tasks_but_not_those_it_only_coordinates(chat, week):
    texts = chat.say(BINH, "việc của tôi")
    # Under headings, soonest first in each: coming up, overdue, no deadline.
    assert listed(texts) == [week["meeting"], week["late"], week["someday"]]
    assert texts[0].splitlines()[1:5] == ["Sắp đến hạn:", texts[0].splitlines()[2], "", "Quá hạn:"]
    assert "quá hạn 3 ngày" in texts[0]
    assert "13h30" in texts[0]
    assert "(phối hợp)" not in texts[0]


def test_the_unit_view_holds_coordinated_tasks_marked_as_such(chat, week):
    texts = chat.say(BINH, "việc phòng")
    assert listed(texts) == [week["meeting"], week["report"], week["late"], week["someday"]]
    assert f"#{week['report']} (phối hợp)" in texts[0]
    assert f"#{week['late']} (phối hợp)" not in texts[0]
    assert chat.say(BINH, "việc đơn vị") == texts


def test_unpublished_and_closed_tasks_are_never_listed(chat, week):
    nhung = chat.say(NHUNG, "việc của tôi")
    assert week["draft"] not in listed(nhung)
    assert chat.say(NHUNG, f"chi tiết {week['draft']}")[0].startswith(f"Không tìm thấy việc #{week['draft']}")
    chat.say(NHUNG, f"xong {week['rooms']}")
    assert week["rooms"] not in listed(chat.say(NHUNG, "việc của tôi"))


def test_a_leader_gets_their_own_tasks_and_a_count_per_unit_they_direct(chat, week, runtime):
    texts = chat.say(LAM, "việc của tôi")
    assert listed(texts) == []
    body = texts[-1]
    assert "Phòng Quản lý Công nghệ và Đổi mới sáng tạo: 3 việc đang mở, 1 quá hạn" in body
    assert "Văn phòng Sở: 2 việc đang mở" in body
    assert "Phòng Quản lý Khoa học: 1 việc đang mở" in body
    assert chat.last_buttons()[0] == "việc phòng QLCN"  # the unit with overdue work first
    assert listed(chat.say(LAM, "việc phòng QLCN")) == [week["meeting"], week["report"], week["late"], week["someday"]]

    # "Việc phòng" without a unit: the units they direct (their own is the Ban Giám đốc).
    [overview] = chat.say(LAM, "việc phòng")
    assert "Phòng Quản lý Công nghệ và Đổi mới sáng tạo: 3 việc đang mở, 1 quá hạn" in overview
    assert "«việc phòng QLCN»" in overview and chat.last_buttons()[0] == "việc phòng QLCN"
    [unknown] = chat.say(LAM, "việc phòng XYZ")
    assert unknown.startswith("Không tìm thấy đơn vị «XYZ».") and "QLKH" in unknown
    # Once a unit is directed by the other leader, it is theirs alone.
    with runtime.session() as session:
        qlkh = session.exec(select(Unit).where(Unit.code == "QLKH")).one()
        qlkh.director_id = f.officer(session, "Nguyễn Hữu Thắng").id
        session.add(qlkh)
    assert "Phòng Quản lý Khoa học" not in chat.say(LAM, "việc của tôi")[-1]
    assert "Phòng Quản lý Khoa học: 1 việc" in chat.say("Nguyễn Hữu Thắng", "việc của tôi")[-1]


def this_week(week: dict[str, int], due_in: dict[str, int]) -> list[int]:
    """The tasks (by name, due in so many days) whose day falls in this calendar week, Monday to
    Sunday, in the order a list shows them: due today, coming up, overdue."""
    monday, sunday = week_span(f.today())
    inside = [(days, name) for name, days in due_in.items() if monday <= f.days(days) <= sunday]
    order = sorted(inside, key=lambda dn: (0 if dn[0] == 0 else 1 if dn[0] > 0 else 2, dn[0]))
    return [week[name] for _, name in order]


def test_overdue_and_this_week(chat, week):
    assert listed(chat.say(BINH, "quá hạn")) == [week["late"]]
    # "Tuần này" is the calendar week, Monday to Sunday, whatever day it is today.
    assert listed(chat.say(BINH, "tuần này")) == this_week(week, {"late": -3, "meeting": 2})
    assert chat.say(HUNG, "quá hạn") == ["Anh/chị không có việc nào quá hạn. Văn phòng Sở đang có 2 việc mở: "
                                         "gõ «việc phòng» để xem."]
    assert f"#{week['late']} – quá hạn 3 ngày" in chat.say(BINH, "quá hạn")[0]
    # A leader looks through the units they direct; each line names its unit.
    texts = chat.say(LAM, "tuần này")
    assert listed(texts) == this_week(week, {"late": -3, "meeting": 2, "rooms": 4, "report": 5, "survey": 10})
    if week["meeting"] in listed(texts):
        assert f"#{week['meeting']} (QLCN) – họp 13h30 " in texts[0]
    assert f"#{week['late']} (QLCN) – quá hạn 3 ngày" in chat.say(LAM, "quá hạn")[0]


def test_nothing_open_is_said_plainly_with_buttons(chat, week):
    texts = chat.say("Đặng Quốc Huy", "việc của tôi")
    assert texts == ["Anh/chị không có việc nào đang mở."]
    assert "việc phòng" in chat.last_buttons()


def test_any_keyboard_writes_the_command(chat, week):
    expected = [week["meeting"], week["late"], week["someday"]]
    for typed in ["việc của tôi", unicodedata.normalize("NFD", "việc của tôi"), "viec cua toi", "VIỆC CỦA TÔI!",
                  "  Việc   CUA tôi ?? ", "Cho em xem việc của tôi với ạ"]:
        assert listed(chat.say(BINH, typed)) == expected, typed


def test_a_near_miss_gets_a_suggestion_with_a_button(chat, week):
    assert chat.say(BINH, "viec cua toii") == ["Có phải anh/chị muốn gõ 'việc của tôi'?"]
    assert chat.last_buttons() == ["việc của tôi"]
    late = week["late"]
    assert chat.say(BINH, f"xongg {late}") == [f"Có phải anh/chị muốn gõ 'xong {late}'?"]
    assert chat.say(BINH, chat.last_buttons()[0]) == [f"Đã ghi nhận việc #{late} xong. Cảm ơn anh/chị!"]


def test_anything_else_gets_a_short_line_then_help_listing_what_this_officer_may_do(chat, week):
    assert chat.say(HUNG, "hôm nay trời đẹp quá") == [
        "Xin lỗi, Nhắc Việc chưa hiểu ý anh/chị. Anh/chị có thể gõ «việc của tôi», «quá hạn», «xong N», "
        "hoặc «giúp» để xem các lệnh."]
    member = chat.say(HUNG, "trời mưa to")[0]  # the second in a row: the full help
    assert member.startswith("Xin lỗi, Nhắc Việc chưa hiểu")
    assert "xong N" in member and "gia hạn N" in member
    assert "duyệt gia hạn" not in member and "giao N cho TÊN" not in member
    assert chat.say(HUNG, "việc của tôi") and chat.say(HUNG, "trời nắng")[0].startswith("Xin lỗi, Nhắc Việc chưa hiểu ý")
    leader = chat.say(LAM, "giúp")[0]
    assert "duyệt gia hạn N" in leader and "từ chối gia hạn N" in leader
    assert chat.say(HUNG, "?") == chat.say(HUNG, "giup")


def test_detail_shows_the_whole_task(chat, week):
    texts = chat.say(BINH, f"chi tiết #{week['report']}")
    text = "\n".join(texts)
    assert text.startswith(f"Việc #{week['report']} (đang mở)")
    assert "Thông báo kết luận tuần 7 (số 12/TB-SKHCN ngày 18/02/2025)" in text
    assert "thông báo ghi: trong ngày" in text
    assert "Chủ trì: Văn phòng Sở" in text
    assert "Người được giao: Lê Hùng" in text
    assert "Phối hợp: Phòng Quản lý Công nghệ và Đổi mới sáng tạo" in text
    assert "Lịch sử:" in text and "Giao việc" in text
    # A head of a coordinating unit may read it but not close it.
    assert f"xong {week['report']}" not in chat.last_buttons()
    assert chat.zalo.sent[-1].buttons and len(chat.zalo.sent[-1].buttons) <= 5


def test_refusals_of_what_an_officer_may_not_see(chat, week):
    survey = week["survey"]
    assert chat.say(HUNG, f"chi tiết {survey}") == [
        f"Việc #{survey} không thuộc đơn vị của anh/chị nên Nhắc Việc không hiển thị được."]
    assert chat.say(BINH, "việc phòng QLKH")[0].startswith("Anh/chị chỉ xem được việc của đơn vị mình")
    assert chat.say(LAM, f"chi tiết {survey}")[0].startswith(f"Việc #{survey} (đang mở)")


def test_a_long_list_reaches_zalo_in_parts_under_2000_characters_most_urgent_first(settings, engine, standin):
    runtime = make_runtime(settings.with_overrides(**standin.settings_overrides()), engine=engine)
    client = create_app(runtime.settings, runtime=runtime).test_client()
    with runtime.session() as session:
        load_directory(session, SAMPLES / "units.csv", SAMPLES / "officers.csv")
        ids = [f.task(session, "QLKH", f"Nhiệm vụ số {i} " + "rà soát hồ sơ đề tài khoa học " * 5,
                      deadline=f.days(60 - i)).id for i in range(60)]
        dung = f.officer(session, "Võ Thị Dung").zalo_user_id
    standin.state.touch(dung)  # she writes, as far as Zalo knows
    try:
        assert signed_post(client, text_event(dung, "việc của tôi")).status_code == 200
        runtime.worker.process_pending()
        runtime.sender.deliver_due()
    finally:
        runtime.stop()
    parts = standin.state.messages(dung)
    assert len(parts) > 1
    assert all(len(p["text"]) <= 2000 for p in parts)
    assert listed([p["text"] for p in parts]) == list(reversed(ids))
    assert [len(p["buttons"]) for p in parts] == [0] * (len(parts) - 1) + [5]


def test_a_redelivered_event_is_answered_once(chat, week):
    event = text_event(chat.user_id(BINH), f"xong {week['late']}")
    first = chat.send_event(event)
    assert first == [f"Đã ghi nhận việc #{week['late']} xong. Cảm ơn anh/chị!"]
    assert chat.send_event(event) == []


def test_a_question_asked_and_answered_in_one_batch_of_events_is_understood(chat, week, runtime):
    """The worker handles a quick second message in the same transaction as the first: it sees
    what the first left for it (the question asked), not what the account held before."""
    hung, report = chat.user_id(HUNG), week["report"]
    assert chat.say(HUNG, "trời mưa to")[0].startswith("Xin lỗi")  # the chat now remembers this account
    before = len(chat.zalo.sent)
    runtime.worker.batch_seconds = 60  # both in one transaction, however busy the machine
    for text in (f"tiến độ {report}", "đã tổng hợp xong số liệu tháng 11"):
        assert signed_post(chat.client, text_event(hung, text)).status_code == 200
    assert runtime.worker.process_pending() == 2
    runtime.sender.deliver_due()
    assert [m.text for m in chat.zalo.sent[before:]] == [
        f"Anh/chị gõ nội dung tiến độ việc #{report} (có thể gửi kèm ảnh hoặc tệp).",
        f"Đã ghi nhận tiến độ việc #{report}. Ảnh hoặc tệp gửi ngay sau tin này sẽ được đính kèm."]


def test_a_user_who_is_not_linked_gets_only_linking_and_help(chat, week):
    for typed in ["việc của tôi", "việc phòng", "quá hạn", "tuần này", f"chi tiết {week['late']}",
                  f"xong {week['late']}", f"gia hạn {week['late']} 28/02 bận", "duyệt gia hạn 1", "hủy đăng ký"]:
        texts = chat.say("9999999999", typed)
        assert len(texts) == 1
        assert texts[0].startswith("Tài khoản Zalo này chưa được liên kết")
        assert "#" not in texts[0] and BINH not in texts[0]
        assert chat.last_buttons() == ["giúp"]
    help_text = chat.say("9999999999", "giúp")[0]
    assert "đăng ký MÃ" in help_text and "việc của tôi" not in help_text
    with chat.runtime.session() as session:
        assert f.task_status(session, week["late"]) == "open"
