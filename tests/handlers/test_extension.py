"""Asking for more time, and deciding it, through the signed webhook."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from storage.models import ExtensionRequest, OutboxMessage, Reminder, Task, TaskEvent, Unit
from tasks.wording import say_day
from tests.fixtures.db import both_databases
from tests.handlers import factories as f

pytestmark = both_databases

BINH, HUNG, LAM, THANG, NHUNG = "Phạm Thị Bình", "Lê Hùng", "Trần Ngọc Lâm", "Nguyễn Hữu Thắng", "Trần Thị Nhung"


def ddmm(days: int) -> str:
    return f"{f.days(days):%d/%m}"


def sent_to(chat, name: str) -> list:
    user = chat.user_id(name)
    return [m for m in chat.zalo.sent if m.user_id == user]


def active_on_zalo(runtime, *names: str) -> None:
    with runtime.session() as session:
        f.on_zalo(session, *names)


def request_rows(runtime, task_id: int) -> list[ExtensionRequest]:
    with runtime.session() as session:
        return session.exec(select(ExtensionRequest).where(ExtensionRequest.task_id == task_id)).all()


def actions(runtime, task_id: int) -> list[str]:
    with runtime.session() as session:
        events = session.exec(select(TaskEvent).where(TaskEvent.task_id == task_id).order_by(TaskEvent.id))
        return [e.action for e in events]


def test_a_request_goes_to_the_leaders_and_the_office_and_approval_moves_the_deadline(chat, runtime, week):
    report = week["report"]
    active_on_zalo(runtime, LAM, THANG, NHUNG)
    with runtime.session() as session:
        before = session.get(Task, report)
    chat.say(HUNG, f"Gia han {report} {ddmm(12)} chờ số liệu của các phòng")
    [answer] = sent_to(chat, HUNG)  # replies and requests leave together, in any order
    assert answer.text.startswith(f"Đã gửi đề nghị gia hạn việc #{report} đến ")
    assert f"cho {LAM}, {THANG} và {NHUNG}" in answer.text
    # No unit director set: every leader, and the office head (there is no admin); only the
    # leaders may move a deadline the Giám đốc set, so only they get the button that approves.
    for decider in (LAM, THANG, NHUNG):
        [request] = sent_to(chat, decider)
        assert request.text.startswith(f"Đề nghị gia hạn việc #{report} (Văn phòng Sở)")
        assert "Lý do: chờ số liệu của các phòng" in request.text and f"Người đề nghị: {HUNG}" in request.text
        approving = [f"duyệt gia hạn {report}"] if decider != NHUNG else []
        assert [b["payload"] for b in request.buttons] == [*approving, f"từ chối gia hạn {report}",
                                                          f"chi tiết {report}"]
    with runtime.session() as session:
        assert session.get(Task, report, populate_existing=True).due_at == before.due_at  # not until approved

    chat.say(LAM, f"duyệt gia hạn {report}")
    decided = sent_to(chat, LAM)[-1].text
    assert decided.startswith(f"Đã duyệt gia hạn việc #{report} đến ") and decided.endswith(f"báo cho {HUNG}.")
    told = sent_to(chat, HUNG)[-1]
    assert told.text.startswith(f"Việc #{report} đã được {LAM} duyệt gia hạn đến ")
    # The others asked hear who decided, once each.
    for other in (THANG, NHUNG):
        [heard] = [m.text for m in sent_to(chat, other) if "đã được" in m.text]
        assert heard == f"Đề nghị gia hạn việc #{report} (Tổng hợp báo cáo kết quả thực hiện nhiệm…) đã được {LAM} duyệt."
    with runtime.session() as session:
        task = session.get(Task, report, populate_existing=True)
        assert task.deadline_date == f.days(12)
        assert task.due_at > before.due_at
        # Reminders are planned for the new deadline.
        reminders = session.exec(select(Reminder).where(Reminder.task_id == report, Reminder.state == "pending")).all()
        assert reminders and all(r.planned_at <= task.due_at + timedelta(days=1) for r in reminders)
    [row] = request_rows(runtime, report)
    assert (row.status, row.reason, row.requested_date) == ("approved", "chờ số liệu của các phòng", f.days(12))
    assert actions(runtime, report)[-2:] == ["extension_requested", "extension_approved"]
    detail = "\n".join(chat.say(HUNG, f"chi tiết {report}"))
    assert "Đề nghị gia hạn đến" in detail and f"Duyệt gia hạn đến {say_day(f.days(12), f.today())} ({LAM})" in detail

    # Deciding twice: told who decided.
    assert chat.say(THANG, f"duyệt gia hạn {report}") == [
        f"Đề nghị gia hạn việc #{report} đã được {LAM} duyệt trước đó."]


def test_a_refusal_keeps_the_deadline_and_tells_the_asker_why(chat, runtime, week):
    meeting = week["meeting"]
    with runtime.session() as session:
        unit = session.exec(select(Unit).where(Unit.code == "QLCN")).one()
        unit.director_id = f.officer(session, THANG).id
        session.add(unit)
        before = session.get(Task, meeting).due_at
    chat.say(BINH, f"gia hạn #{meeting} đến ngày {ddmm(9)} lý do: chờ ý kiến Sở Tài chính")
    assert f"cho {THANG} và {NHUNG}." in sent_to(chat, BINH)[-1].text  # the unit's director only, and the office
    assert not sent_to(chat, LAM)
    assert not sent_to(chat, THANG)  # outside Zalo's window: held until he writes
    # The office head asked to decide may read the task behind the request's "Chi tiết" button.
    assert chat.say(NHUNG, f"chi tiết {meeting}")[-1].startswith(f"Việc #{meeting} (đang mở)")
    assert chat.say("Võ Thị Dung", f"chi tiết {meeting}")[0].startswith(f"Việc #{meeting} không thuộc")
    chat.say(THANG, f"từ chối gia hạn {meeting} hội nghị không dời được")
    assert f"Đã từ chối đề nghị gia hạn việc #{meeting} và báo cho {BINH}." in [m.text for m in sent_to(chat, THANG)]
    # The request held for him is decided by this very message: released, it is dropped, and logged.
    assert not any(f"Đề nghị gia hạn việc #{meeting}" in m.text for m in sent_to(chat, THANG))
    with runtime.session(read_only=True) as session:
        request = session.exec(select(OutboxMessage).where(OutboxMessage.officer_id == f.officer(session, THANG).id,
                                                           OutboxMessage.kind == "notice")).one()
    assert (request.status, request.last_error) == (
        "superseded", f"bỏ khi gửi lại: đề nghị gia hạn việc #{meeting} đã được quyết định")
    told = sent_to(chat, BINH)[-1].text
    assert told.startswith(f"Đề nghị gia hạn việc #{meeting} đến ")
    assert f"chưa được {THANG} đồng ý. Lý do: hội nghị không dời được. Anh/chị tiếp tục thực hiện theo hạn " in told
    assert told.endswith(f"khi cần, gửi đề nghị mới: «gia hạn {meeting} ngày/tháng lý do».")
    with runtime.session() as session:
        assert session.get(Task, meeting, populate_existing=True).due_at == before
    [row] = request_rows(runtime, meeting)
    assert (row.status, row.decision_note) == ("refused", "hội nghị không dời được")
    assert actions(runtime, meeting)[-2:] == ["extension_requested", "extension_refused"]


def test_bad_requests_change_nothing(chat, runtime, week):
    report = week["report"]
    usage = chat.say(HUNG, f"gia hạn {report}")[0]  # the reminder's button sends just this
    assert usage.startswith("Để xin gia hạn, anh/chị gõ: gia hạn")
    assert chat.say(HUNG, f"gia hạn {report} {ddmm(12)} ạ") == [  # no reason
        f"Anh/chị ghi thêm lý do xin gia hạn, ví dụ: gia hạn {report} {ddmm(12)} chờ số liệu của các phòng."]
    assert chat.say(HUNG, f"gia hạn {report} 31/02 bận")[0].startswith("Ngày «31/02» không có thật")
    assert chat.say(HUNG, f"gia hạn {report} {ddmm(3)} bận")[0].startswith(f"Việc #{report} đang có hạn ")
    assert chat.say(HUNG, "gia hạn")[0].startswith("Để xin gia hạn, anh/chị gõ: gia hạn N")
    # A day just gone is a slip, not the same day next year.
    assert chat.say(BINH, f"gia hạn {week['someday']} {ddmm(-3)} bận") == [
        f"Ngày gia hạn cho việc #{week['someday']} phải từ hôm nay trở đi."]
    assert request_rows(runtime, week["someday"]) == []
    assert request_rows(runtime, report) == []
    chat.say(HUNG, f"gia hạn {report} {ddmm(12)} bận")
    assert chat.say(HUNG, f"gia hạn {report} {ddmm(20)} bận")[0].startswith(
        f"Việc #{report} đã có đề nghị gia hạn đến ")
    assert len(request_rows(runtime, report)) == 1
    chat.say(HUNG, f"xong {report}")
    assert chat.say(HUNG, f"gia hạn {report} {ddmm(20)} bận") == [f"Việc #{report} đã xong, không cần gia hạn."]


def test_permission_refusals(chat, runtime, week):
    report, late = week["report"], week["late"]
    assert chat.say(HUNG, f"gia hạn {late} {ddmm(12)} bận")[0] == (
        f"Anh/chị chưa có quyền xin gia hạn việc #{late}. Người làm được việc này: "
        f"{BINH} (trưởng đơn vị), lãnh đạo Sở hoặc quản trị hệ thống.")
    assert request_rows(runtime, late) == []
    chat.say(HUNG, f"gia hạn {report} {ddmm(12)} bận")
    refusal = (f"Anh/chị chưa có quyền duyệt gia hạn việc #{report}. "
               f"Người duyệt: {LAM}, {THANG} hoặc {NHUNG}.")
    assert chat.say(BINH, f"duyệt gia hạn {report}") == [refusal]
    assert chat.say(BINH, f"từ chối gia hạn {report} không") == [refusal]
    assert chat.say(HUNG, f"duyệt gia hạn {report}") == [refusal]
    assert [r.status for r in request_rows(runtime, report)] == ["pending"]
    # The office head, who received it, may refuse it but not move a deadline the Giám đốc set.
    assert chat.say(NHUNG, f"duyet gia han {report}")[-1:] == [  # after what was held for her
        f"Hạn của việc #{report} do Giám đốc Sở giao: chỉ {LAM} hoặc {THANG} được duyệt gia hạn. "
        f"Anh/chị vẫn có thể từ chối đề nghị (gõ «từ chối gia hạn {report} lý do»)."]
    assert [r.status for r in request_rows(runtime, report)] == ["pending"]
    chat.say(NHUNG, f"từ chối gia hạn {report} chưa có căn cứ")
    assert any(m.text.startswith(f"Đã từ chối đề nghị gia hạn việc #{report}") for m in sent_to(chat, NHUNG))


def test_a_refusal_asks_why_and_the_reason_reaches_the_asker_with_the_next_step(chat, runtime, week):
    report = week["report"]
    active_on_zalo(runtime, LAM, THANG, NHUNG)
    chat.say(HUNG, f"gia hạn {report} {ddmm(12)} chờ số liệu")
    [request] = sent_to(chat, THANG)
    # The request's "Từ chối" button sends the bare command: a reason is asked, nothing decided yet.
    assert chat.say(THANG, request.buttons[1]["payload"]) == [
        f"Lý do từ chối gia hạn việc #{report}? Anh/chị gõ lý do, Nhắc Việc sẽ chuyển cho {HUNG}."]
    assert chat.last_buttons() == [f"từ chối gia hạn {report} không nêu lý do"]
    assert [r.status for r in request_rows(runtime, report)] == ["pending"]
    # A command meanwhile is a command, not the reason (and drops the question: he taps again).
    assert chat.say(THANG, "việc của tôi")[0].startswith("Anh/chị không có việc nào được giao riêng.")
    chat.say(THANG, request.buttons[1]["payload"])
    assert chat.say(THANG, "ok") == ["Dạ, Nhắc Việc đã nhận."]  # small talk is no reason: the question stands
    # The reason, as written ("chưa xong" inside it is no command).
    assert chat.say(THANG, "Số liệu tháng trước chưa xong, cần báo cáo đúng hạn") == [
        f"Đã từ chối đề nghị gia hạn việc #{report} và báo cho {HUNG}."]
    told = sent_to(chat, HUNG)[-1].text
    assert "Lý do: Số liệu tháng trước chưa xong, cần báo cáo đúng hạn." in told and "gửi đề nghị mới" in told
    [row] = request_rows(runtime, report)
    assert (row.status, row.decision_note) == ("refused", "Số liệu tháng trước chưa xong, cần báo cáo đúng hạn")
    # The others asked are told who decided; their stale buttons answer that it is decided, and by whom.
    assert sent_to(chat, LAM)[-1].text.endswith(f"đã được {THANG} từ chối.")
    assert chat.say(LAM, request.buttons[0]["payload"]) == [
        f"Đề nghị gia hạn việc #{report} đã được {THANG} từ chối trước đó."]
    with runtime.session() as session:
        assert session.get(Task, report).status == "open"


def test_a_refusal_without_a_reason_is_one_tap(chat, runtime, week):
    report = week["report"]
    active_on_zalo(runtime, LAM)
    chat.say(HUNG, f"gia hạn {report} {ddmm(12)} chờ số liệu")
    chat.say(LAM, f"từ chối gia hạn {report}")
    assert chat.say(LAM, chat.last_buttons()[0]) == [f"Đã từ chối đề nghị gia hạn việc #{report} và báo cho {HUNG}."]
    [row] = request_rows(runtime, report)
    assert (row.status, row.decision_note) == ("refused", None)
    assert "Lý do" not in sent_to(chat, HUNG)[-1].text
