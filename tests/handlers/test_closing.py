"""Closing and reopening through the signed webhook, and two people closing one task at once."""

from __future__ import annotations

import threading
import unicodedata

from sqlmodel import select

import handlers
from storage.db import session_scope
from storage.models import InboundEvent, Officer, Task, TaskEvent, utcnow
from tests.fixtures.chat import text_event
from tests.fixtures.db import both_databases
from tests.handlers import factories as f
from tests.handlers.factories import listed

pytestmark = both_databases

BINH, HUNG, LAM, NHUNG = "Phạm Thị Bình", "Lê Hùng", "Trần Ngọc Lâm", "Trần Thị Nhung"


def history(runtime, task_id: int) -> list[tuple[str, str | None, str | None]]:
    """(action, who, note) of a task's history."""
    with runtime.session() as session:
        events = session.exec(select(TaskEvent).where(TaskEvent.task_id == task_id).order_by(TaskEvent.id)).all()
        return [(e.action, e.actor_id and session.get(Officer, e.actor_id).full_name, e.note) for e in events]


def status(runtime, task_id: int) -> str:
    with runtime.session() as session:
        return f.task_status(session, task_id)


def test_close_with_a_note_is_recorded_with_who_and_when(chat, runtime, week):
    late = week["late"]
    assert chat.say(BINH, f"Xong #{late}: đã gửi dự thảo cho Văn phòng") == [
        f"Đã ghi nhận việc #{late} xong. Cảm ơn anh/chị! Ghi chú: đã gửi dự thảo cho Văn phòng"]
    assert chat.last_buttons() == [f"mở lại {late}", "việc của tôi"]
    assert status(runtime, late) == "done"
    assert history(runtime, late)[-1] == ("closed", BINH, "đã gửi dự thảo cho Văn phòng")
    with runtime.session() as session:
        task = session.get(Task, late)
        assert task.closed_by_id == f.officer(session, BINH).id and task.closed_at is not None
    assert late not in listed(chat.say(BINH, "việc của tôi"))


def test_close_several_at_once_typed_any_way(chat, runtime, week):
    late, meeting, someday = week["late"], week["meeting"], week["someday"]
    typed = unicodedata.normalize("NFD", f"XONG {late}, {meeting} và #{someday}")
    [reply] = chat.say(BINH, typed)
    assert reply.splitlines() == [f"Đã ghi nhận việc #{n} xong. Cảm ơn anh/chị!" for n in (late, meeting, someday)]
    assert [status(runtime, n) for n in (late, meeting, someday)] == ["done"] * 3
    # The buttons about these tasks come first, the lists after them.
    assert chat.last_buttons() == [f"mở lại {n}" for n in (late, meeting, someday)] + ["việc của tôi"]
    # Closing again: she is reminded she did it; anyone else is told who did.
    [again] = chat.say(BINH, f"xong {late} rồi ạ")
    assert again.startswith(f"Anh/chị đã báo xong việc #{late} lúc ") and BINH not in again
    assert chat.say(LAM, f"xong {late}")[0].startswith(f"Việc #{late} đã được {BINH} báo xong lúc ")


def test_bare_xong_closes_the_task_of_the_message_it_replies_to(chat, runtime, week):
    chat.say(BINH, f"chi tiết {week['meeting']}")
    quoted = chat.last_sent().message_id
    assert chat.say(BINH, "xong", quote_msg_id=quoted) == [f"Đã ghi nhận việc #{week['meeting']} xong. Cảm ơn anh/chị!"]
    assert status(runtime, week["late"]) == "open"


def test_bare_xong_asks_which_task_and_closes_nothing_by_itself(chat, runtime, week):
    report = week["report"]
    assert chat.say(HUNG, "em xong rồi ạ") == [
        f"Báo xong việc #{report} – Tổng hợp báo cáo kết quả thực hiện nhiệm vụ tháng? Bấm «Xong #{report}» để xác nhận."]
    assert chat.last_buttons() == [f"xong {report}", "việc của tôi"]
    assert status(runtime, report) == "open"
    assert chat.say(HUNG, chat.last_buttons()[0]) == [f"Đã ghi nhận việc #{report} xong. Cảm ơn anh/chị!"]
    assert chat.say(HUNG, "xong") == ["Anh/chị không có việc nào đang mở."]
    [choice] = chat.say(BINH, "xong")
    assert choice.startswith("Anh/chị muốn báo xong việc nào?")
    # Grouped as every list is: coming up, overdue, without a deadline; the buttons in the same order.
    assert listed([choice]) == [week["meeting"], week["late"], week["someday"]]
    assert chat.last_buttons() == [f"xong {n}" for n in (week["meeting"], week["late"], week["someday"])]
    assert status(runtime, week["late"]) == "open"


def test_reopen(chat, runtime, week):
    late = week["late"]
    chat.say(BINH, f"xong {late}")
    assert chat.say(BINH, f"chưa xong {late}: còn thiếu số liệu") == [
        f"Đã mở lại việc #{late}. Nhắc Việc sẽ tiếp tục nhắc theo hạn."]
    assert status(runtime, late) == "open"
    assert history(runtime, late)[-1] == ("reopened", BINH, "còn thiếu số liệu")
    assert chat.say(BINH, f"mo lai {late}") == [f"Việc #{late} vẫn đang mở."]


def test_who_may_close_and_the_refusals_name_who_can(chat, runtime, week):
    report, rooms, late = week["report"], week["rooms"], week["late"]
    # Another unit's task: refused, naming the head.
    [refusal] = chat.say(HUNG, f"xong {late}")
    assert refusal == (f"Anh/chị chưa có quyền báo xong việc #{late}. Người làm được việc này: "
                       f"{BINH} (trưởng đơn vị), lãnh đạo Sở hoặc quản trị hệ thống.")
    # Their own unit's task not given to them: refused too.
    assert chat.say(HUNG, f"xong {rooms}")[0].startswith(f"Anh/chị chưa có quyền báo xong việc #{rooms}")
    # The head of a unit that only coordinates: refused, naming the person and the head.
    assert chat.say(BINH, f"xong {report}")[0] == (
        f"Anh/chị chưa có quyền báo xong việc #{report}. Người làm được việc này: {HUNG} (người được giao), "
        f"{NHUNG} (trưởng đơn vị), lãnh đạo Sở hoặc quản trị hệ thống.")
    assert [status(runtime, n) for n in (report, rooms, late)] == ["open"] * 3
    # The person given the task, the unit's head and a leader may.
    assert chat.say(HUNG, f"xong {report}")[0].startswith("Đã ghi nhận")
    assert chat.say(NHUNG, f"xong {rooms}")[0].startswith("Đã ghi nhận")
    assert chat.say(LAM, f"xong {late}")[0].startswith("Đã ghi nhận")
    # "Chi tiết" is offered only to those who may read the task.
    [refused] = chat.say("Võ Thị Dung", f"xong {week['meeting']}")
    assert refused.startswith(f"Anh/chị chưa có quyền báo xong việc #{week['meeting']}")
    assert chat.last_buttons() == ["việc của tôi"]
    assert chat.say(HUNG, f"xong {rooms}") and chat.last_buttons() == [f"chi tiết {rooms}", "việc của tôi"]
    # Reopening follows the same rule.
    assert chat.say(BINH, f"mở lại {report}")[0].startswith(f"Anh/chị chưa có quyền mở lại việc #{report}")
    assert status(runtime, report) == "done"


def test_unknown_and_unpublished_tasks(chat, week):
    assert chat.say(BINH, "xong 99999") == [
        "Không tìm thấy việc #99999. Anh/chị kiểm tra lại số việc (gõ «việc của tôi» để xem)."]
    assert chat.say(LAM, f"xong {week['draft']}")[0].startswith(f"Không tìm thấy việc #{week['draft']}")
    # A number longer than any task's is answered plainly, never turned into a failed event.
    too_big = "Số việc anh/chị ghi quá lớn: không có việc nào như vậy. Anh/chị gõ «việc của tôi» để xem số việc."
    assert chat.say(BINH, "xong 123456789012345678901234567890") == [too_big]
    assert chat.say(BINH, "chi tiết " + "9" * 5000) == [too_big]
    with chat.runtime.session() as session:
        assert session.exec(select(InboundEvent.status).where(InboundEvent.status != "done")).all() == []


def test_two_officers_closing_one_task_at_once(chat, runtime, settings, engine, week):
    """Each in its own thread and transaction, as two worker processes would: one wins."""
    task = week["report"]  # Lê Hùng's, in Trần Thị Nhung's unit: both may close it
    with runtime.session() as session:
        people = [f.officer(session, name) for name in (HUNG, NHUNG)]
    start = threading.Barrier(2)
    answers: dict[str, str] = {}

    def close(officer):
        start.wait()
        with session_scope(engine, write_lock=True) as session:
            me = session.get(Officer, officer.id)
            event = text_event(me.zalo_user_id, f"xong {task}")
            out = handlers.handle_event(session, settings, event, me, utcnow())
        [reply] = [m for m in out if m.zalo_user_id == me.zalo_user_id]  # the others concerned are told too
        answers[officer.full_name] = reply.text

    threads = [threading.Thread(target=close, args=(o,)) for o in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    won = [name for name, text in answers.items() if text.startswith("Đã ghi nhận")]
    assert len(won) == 1
    [lost] = [name for name in answers if name not in won]
    assert answers[lost].startswith(f"Việc #{task} đã được {won[0]} báo xong lúc ")
    assert [h for h in history(runtime, task) if h[0] == "closed"] == [("closed", won[0], None)]
