"""The office's work flow through the signed webhook: a head hands a task to an officer, the
officer lists it, reports progress with a photo and closes it, and those concerned hear of it once."""

from __future__ import annotations

from sqlmodel import select

from bot import create_app, make_runtime
from storage.directory import load_directory
from storage.models import Officer, ProgressReport, TaskDelegate, TaskEvent, utcnow
from tests.conftest import SAMPLES
from tests.fixtures.chat import media_event, signed_post, text_event
from tests.fixtures.db import both_databases
from tests.handlers import factories as f
from tests.handlers.factories import listed

pytestmark = both_databases

BINH, CHAU, HUNG, LAM, NHUNG = "Phạm Thị Bình", "Hoàng Minh Châu", "Lê Hùng", "Trần Ngọc Lâm", "Trần Thị Nhung"
CHAU_ZALO = "5000000000000000006"


def link(runtime, name: str, zalo_user_id: str) -> None:
    with runtime.session() as session:
        f.on_zalo(session, name, zalo_user_id=zalo_user_id)


def active(runtime, *names: str) -> None:
    with runtime.session() as session:
        f.on_zalo(session, *names)


def history(runtime, task_id: int) -> list[tuple[str, str | None, dict]]:
    with runtime.session() as session:
        rows = session.exec(select(TaskEvent).where(TaskEvent.task_id == task_id).order_by(TaskEvent.id)).all()
        return [(e.action, e.actor_id and session.get(Officer, e.actor_id).full_name, e.data) for e in rows]


def test_a_head_hands_a_task_to_an_officer_who_lists_reports_with_a_photo_and_closes_it(chat, runtime, week):
    link(runtime, CHAU, CHAU_ZALO)
    late = week["late"]
    start = len(chat.zalo.sent)
    # Any spelling, any part of the name.
    [answer] = chat.say(BINH, f"giao {late} cho chau nhé")
    assert answer == (f"Đã giao việc #{late} cho {CHAU}; từ nay Nhắc Việc nhắc việc này cho {CHAU}.")
    [handed] = [m for m in chat.zalo.sent[start:] if m.user_id == CHAU_ZALO]
    assert handed.text.startswith(f"Anh/chị được {BINH} giao việc #{late}: Hoàn thiện dự thảo Chính sách đột phá")
    assert "• Quá hạn 3 ngày" in handed.text and f"«tiến độ {late}: nội dung»" in handed.text
    assert [b["payload"] for b in handed.buttons] == [f"xong {late}", f"tiến độ {late}", f"chi tiết {late}",
                                                      f"gia hạn {late}"]
    # Her list is honest: the task handed to her.
    assert listed(chat.say(CHAU, "việc của tôi")) == [late]
    assert listed(chat.say(CHAU, "quá hạn")) == [late]

    # Progress, then a photo sent right after: kept on the report by its Zalo URL.
    assert chat.say(CHAU, f"tiến độ {late}: đã xong dự thảo") == [
        f"Đã ghi nhận tiến độ việc #{late}. Ảnh hoặc tệp gửi ngay sau tin này sẽ được đính kèm."]
    photo = "https://photo-stc.zalo.me/dl/bien-ban-hop.jpg"
    sent = chat.deliver(media_event(CHAU_ZALO, photo))
    assert [m.text for m in sent] == [f"Đã đính kèm ảnh vào báo cáo tiến độ việc #{late}."]
    with runtime.session() as session:
        [report] = session.exec(select(ProgressReport).where(ProgressReport.task_id == late)).all()
        assert (report.text, report.attachments) == ("đã xong dự thảo", [{"type": "image", "url": photo, "name": ""}])
    detail = chat.say(BINH, f"chi tiết {late}")[0]
    assert f"• Được giao thực hiện: {CHAU}" in detail
    assert f"Tiến độ:\n• hôm nay – {CHAU}: đã xong dự thảo (1 ảnh)" in detail
    assert f"Giao cho {CHAU} ({BINH})" in detail and f"Báo cáo tiến độ ({CHAU}): đã xong dự thảo" in detail
    # The head's list shows when progress was last reported.
    assert f"#{late} – quá hạn 3 ngày – dự thảo Chính sách đột phá" in chat.say(BINH, "việc của tôi")[0]
    assert "· tiến độ hôm nay" in chat.say(BINH, "việc của tôi")[0]

    # She closes it: the head who handed it to her hears of it once; nobody else.
    before = len(chat.zalo.sent)
    assert chat.say(CHAU, f"xong {late}") == [f"Đã ghi nhận việc #{late} xong. Cảm ơn anh/chị!"]
    assert chat.told(BINH, before) == [
        f"Việc #{late} (dự thảo Chính sách đột phá phát triển khoa…) đã được {CHAU} báo xong."]
    assert {m.user_id for m in chat.zalo.sent[before:]} == {CHAU_ZALO, chat.user_id(BINH)}
    assert [a for a, _, _ in history(runtime, late)][-4:] == ["delegated", "progress", "progress_attachment", "closed"]


def test_a_coordinating_units_part_is_handed_and_done_and_everyone_concerned_hears_once(chat, runtime, week):
    """Văn phòng's task, coordinated by QLCN: Bình hands QLCN's part to Châu, who reports it done;
    Lê Hùng closes the task; the head, the one who handed the part and the officer hear once each."""
    link(runtime, CHAU, CHAU_ZALO)
    active(runtime, NHUNG, HUNG, BINH, LAM)
    report = week["report"]
    assert chat.say(BINH, f"giao {report} cho Hoàng Minh Châu")[0].startswith(f"Đã giao việc #{report} cho {CHAU}")
    with runtime.session() as session:
        [row] = session.exec(select(TaskDelegate).where(TaskDelegate.task_id == report)).all()
        assert row.unit_id == f.unit(session, "QLCN").id  # QLCN's share, not the task
    # Her part done does not close the task; the unit responsible hears of it.
    before = len(chat.zalo.sent)
    assert chat.say(CHAU, f"xong phần {report}: đã gửi số liệu") == [
        f"Đã ghi nhận Phòng Quản lý Công nghệ và Đổi mới sáng tạo xong phần phối hợp việc #{report} "
        "và báo cho đơn vị chủ trì."]
    assert chat.told(NHUNG, before)[0].startswith(
        f"Phòng Quản lý Công nghệ và Đổi mới sáng tạo đã xong phần phối hợp việc #{report}")
    assert chat.told(HUNG, before) and chat.told(BINH, before)  # named for it, and the one who handed the part
    with runtime.session() as session:
        assert f.task_status(session, report) == "open"
    # A part's officer may not close the whole task.
    assert chat.say(CHAU, f"xong {report}")[0].startswith(f"Anh/chị chưa có quyền báo xong việc #{report}")

    before = len(chat.zalo.sent)
    chat.say(HUNG, f"xong {report}")
    for name in (NHUNG, BINH, CHAU):
        assert chat.told(name, before) == [
            f"Việc #{report} (Tổng hợp báo cáo kết quả thực hiện nhiệm…) đã được {HUNG} báo xong."], name
    assert chat.told(LAM, before) == []  # leaders read it in their summary


def test_several_matches_are_offered_as_buttons_and_only_the_units_officers(chat, runtime, week):
    link(runtime, CHAU, CHAU_ZALO)
    with runtime.session() as session:
        qlcn = f.unit(session, "QLCN")
        session.add(Officer(full_name="Nguyễn Bảo Châu", title="Chuyên viên", unit_id=qlcn.id, role="member",
                            zalo_user_id="5000000000000000099", last_interaction_at=utcnow()))
    meeting = week["meeting"]
    [choice] = chat.say(BINH, f"giao {meeting} cho Châu")
    assert choice == f"Có nhiều cán bộ tên «Châu». Anh/chị chọn người được giao việc #{meeting}:"
    assert chat.last_buttons() == [f"giao {meeting} cho {CHAU}", f"giao {meeting} cho Nguyễn Bảo Châu"]
    assert chat.say(BINH, chat.last_buttons()[1])[0].startswith(f"Đã giao việc #{meeting} cho Nguyễn Bảo Châu")
    # Several officers on one task are allowed; giving it twice to one says so.
    assert chat.say(BINH, f"giao {meeting} cho minh chau")[0].startswith(f"Đã giao việc #{meeting} cho {CHAU}")
    assert chat.say(BINH, f"giao {meeting} cho Minh Châu") == [f"Việc #{meeting} đã giao cho {CHAU} từ trước."]
    # Only officers of the task's unit: not Văn phòng's.
    assert chat.say(BINH, f"giao {meeting} cho Lê Hùng")[0].startswith("Không tìm thấy cán bộ «Lê Hùng» trong Phòng")
    # A member may not hand tasks out; a leader may.
    assert chat.say(HUNG, f"giao {week['report']} cho Nhung")[0].startswith(
        f"Anh/chị chưa có quyền giao việc #{week['report']}")
    assert chat.say(LAM, f"giao {week['rooms']} cho hung")[0].startswith(f"Đã giao việc #{week['rooms']} cho {HUNG}")
    # "được giao" in a question is no command to hand out work.
    assert listed(chat.say(HUNG, "việc được giao cho em là gì ạ")) == [week["rooms"], week["report"]]


def test_handing_again_and_taking_back_are_history_and_told(chat, runtime, week):
    link(runtime, CHAU, CHAU_ZALO)
    with runtime.session() as session:
        qlcn = f.unit(session, "QLCN")
        session.add(Officer(full_name="Nguyễn Văn An", unit_id=qlcn.id, role="member",
                            zalo_user_id="5000000000000000098", last_interaction_at=utcnow()))
    meeting = week["meeting"]
    chat.say(BINH, f"giao {meeting} cho Châu")
    before = len(chat.zalo.sent)
    assert chat.say(BINH, f"giao lại {meeting} cho An")[0].startswith(f"Đã giao việc #{meeting} cho Nguyễn Văn An")
    assert chat.told(CHAU, before) == [
        f"{BINH} đã thu hồi việc #{meeting} (dự thảo đề cương kịch bản hội nghị): anh/chị không cần theo dõi việc "
        "này nữa."]
    assert listed(chat.say(CHAU, "việc của tôi")) == []
    before = len(chat.zalo.sent)
    assert chat.say(BINH, f"thu hồi {meeting}") == [
        f"Đã thu hồi việc #{meeting} từ Nguyễn Văn An và báo cho Nguyễn Văn An."]
    assert len(chat.told("5000000000000000098", before)) == 1
    assert chat.say(BINH, f"thu hồi {meeting}") == [f"Việc #{meeting} chưa giao cho ai trong phần anh/chị phụ trách."]
    actions = [(a, data.get("name")) for a, _, data in history(runtime, meeting) if a.startswith("delegat")]
    assert actions == [("delegated", CHAU), ("delegation_revoked", CHAU), ("delegated", "Nguyễn Văn An"),
                       ("delegation_revoked", "Nguyễn Văn An")]
    detail = chat.say(BINH, f"chi tiết {meeting}")[0]
    assert f"Thu hồi việc đã giao cho {CHAU} ({BINH})" in detail and "Được giao thực hiện" not in detail


def test_a_photo_in_reply_to_a_tasks_message_is_a_report_and_one_out_of_the_blue_is_asked_about(chat, runtime, week):
    report = week["report"]
    hung = chat.user_id(HUNG)
    chat.say(HUNG, f"chi tiết {report}")
    quoted = chat.last_sent().message_id
    file = "https://f21-zpc.zdn.vn/bao-cao-thang.docx"
    sent = chat.deliver(media_event(hung, file, kind="file", name="bao-cao-thang.docx", quote_msg_id=quoted))
    assert [m.text for m in sent] == [f"Đã đính kèm tệp vào báo cáo tiến độ việc #{report}."]
    with runtime.session() as session:
        [kept] = session.exec(select(ProgressReport).where(ProgressReport.task_id == report)).all()
        assert kept.attachments == [{"type": "file", "url": file, "name": "bao-cao-thang.docx"}]
    # "Báo tiến độ" asks; the next message is the report.
    assert chat.say(HUNG, f"tiến độ {report}") == [
        f"Anh/chị gõ nội dung tiến độ việc #{report} (có thể gửi kèm ảnh hoặc tệp)."]
    assert chat.say(HUNG, "đã tổng hợp xong số liệu tháng 11")[0].startswith(f"Đã ghi nhận tiến độ việc #{report}")
    with runtime.session() as session:
        texts = session.exec(select(ProgressReport.text).where(ProgressReport.task_id == report)
                             .order_by(ProgressReport.id)).all()
        assert texts == ["", "đã tổng hợp xong số liệu tháng 11"]
        assert f.task_status(session, report) == "open"
    # Much later, a photo with nothing to go with: asked about, nothing kept.
    with runtime.session() as session:
        for row in session.exec(select(ProgressReport)):
            row.at = row.at.replace(year=row.at.year - 1)
            session.add(row)
    sent = chat.deliver(media_event(hung, "https://photo-stc.zalo.me/dl/x.jpg"))
    assert [m.text for m in sent] == [
        "Nhắc Việc đã nhận ảnh. Để đính kèm vào tiến độ một việc, anh/chị gõ «tiến độ N: nội dung» rồi gửi lại, "
        "hoặc bấm «Trả lời» trên tin nhắn của việc đó."]
    # Someone else's task: refused.
    assert chat.say(HUNG, f"tiến độ {week['survey']}: xong")[0].startswith(
        f"Anh/chị chưa có quyền báo tiến độ việc #{week['survey']}")


def test_one_message_acts_on_twenty_tasks_at_most_and_says_so(chat, runtime, week):
    numbers = ",".join(str(n) for n in range(1, 1800))
    sent = chat.deliver(text_event(chat.user_id(BINH), f"xong {numbers}"))
    [reply] = [m for m in sent if m.user_id == chat.user_id(BINH)]
    lines = reply.text.splitlines()
    assert len(lines) == 21
    assert lines[-1] == ("Mỗi tin Nhắc Việc chỉ xử lý 20 việc đầu tiên: 1779 việc còn lại (#21, #22, #23, #24, #25, …) "
                         "chưa được xử lý, anh/chị gửi lại trong tin khác.")
    assert len([m for m in sent if m.user_id == chat.user_id(BINH)]) == 1
    with runtime.session() as session:
        assert f.task_status(session, week["late"]) == "done"


def test_the_work_flow_reaches_zalo_through_the_standin(settings, engine, standin):
    """The same flow over real HTTP to the Zalo stand-in, which keeps Zalo's rules (the 7-day
    window, buttons, message ids): what each person's Zalo shows at the end."""
    runtime = make_runtime(settings.with_overrides(**standin.settings_overrides()), engine=engine)
    client = create_app(runtime.settings, runtime=runtime).test_client()
    with runtime.session() as session:
        load_directory(session, SAMPLES / "units.csv", SAMPLES / "officers.csv")
        late = f.office_week(session)["late"]
        binh = f.on_zalo(session, BINH).zalo_user_id
    for user in (binh, CHAU_ZALO):
        standin.state.touch(user)  # as far as Zalo knows, both wrote lately

    def send(event: dict) -> None:
        assert signed_post(client, event).status_code == 200
        runtime.worker.process_pending()
        runtime.sender.deliver_due()

    def shown(user: str) -> list[str]:
        return [m["text"] for m in standin.state.messages(user)]

    try:
        send(text_event(binh, f"giao {late} cho Châu"))  # not linked yet: told so, and the task waits for her
        assert shown(binh)[-1].endswith("chưa liên kết Zalo nên chưa nhận được tin báo.")
        with runtime.session() as session:
            f.on_zalo(session, CHAU, zalo_user_id=CHAU_ZALO)
        send(text_event(binh, f"thu hồi {late}"))
        send(text_event(binh, f"giao {late} cho Châu"))
        [handed] = [m for m in standin.state.messages(CHAU_ZALO) if m["text"].startswith("Anh/chị được")]
        assert f"giao việc #{late}" in handed["text"] and len(handed["buttons"]) == 4
        send(text_event(CHAU_ZALO, "việc của tôi"))
        assert listed(shown(CHAU_ZALO)[-1:]) == [late]
        send(text_event(CHAU_ZALO, f"tiến độ {late}: đã xong dự thảo"))
        send(media_event(CHAU_ZALO, "https://photo-stc.zalo.me/dl/du-thao.jpg"))
        assert shown(CHAU_ZALO)[-1] == f"Đã đính kèm ảnh vào báo cáo tiến độ việc #{late}."
        before = len(shown(binh))
        send(text_event(CHAU_ZALO, f"xong {late}"))
        assert shown(CHAU_ZALO)[-1] == f"Đã ghi nhận việc #{late} xong. Cảm ơn anh/chị!"
        assert shown(binh)[before:] == [
            f"Việc #{late} (dự thảo Chính sách đột phá phát triển khoa…) đã được {CHAU} báo xong."]
    finally:
        runtime.stop()
