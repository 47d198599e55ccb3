"""Linking a Zalo account with a one-time code, unlinking, and the follow events."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import select

from handlers.linking import CODE_ALPHABET, CODE_LENGTH
from storage.models import InboundEvent, LinkAttempt, LinkCode, Officer, OutboxMessage, TaskEvent, utcnow
from tests.fixtures.chat import text_event
from tests.fixtures.db import both_databases
from tests.handlers import factories as f
from tests.handlers.factories import listed

pytestmark = both_databases

CHAU, BINH = "Hoàng Minh Châu", "Phạm Thị Bình"
PHONE = "7700000000000000001"  # Châu's Zalo account, not linked yet
NOT_LINKED = "Tài khoản Zalo này chưa được liên kết với cán bộ nào của Sở."


def link_code(runner, name: str = CHAU, *, replace: bool = False) -> str:
    result = runner.invoke(["link-code", name, *(["--replace"] if replace else [])])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()[-1]


def officer(runtime, name: str) -> Officer:
    with runtime.session() as session:
        return f.officer(session, name)


def test_link_code_prints_a_code_easy_to_type_alone_on_the_last_line(runner, directory):
    code = link_code(runner)
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert link_code(runner, unicodedata.normalize("NFD", "hoàng minh châu")) != code
    unknown = runner.invoke(["link-code", "Không Có Ai"])
    assert unknown.exit_code != 0
    assert unknown.stdout == "" and len(unknown.stderr.strip().splitlines()) == 1
    assert "Không Có Ai" in unknown.stderr


def test_a_code_links_the_account_once(chat, runner, runtime, week):
    code = link_code(runner)
    assert chat.say(PHONE, "việc của tôi")[0].startswith(NOT_LINKED)
    typed = unicodedata.normalize("NFD", f"Đăng ký mã {code.lower()}")
    assert chat.say(PHONE, typed) == [
        f"Đã liên kết tài khoản Zalo này với anh/chị {CHAU} (Phòng Quản lý Công nghệ và Đổi mới sáng tạo). "
        "Gõ «việc của tôi» để xem việc đang mở, «giúp» để xem các lệnh."]
    assert officer(runtime, CHAU).zalo_user_id == PHONE
    # Nothing of her own yet: said plainly, with what her unit has open.
    assert chat.say(PHONE, "viec cua toi") == [
        "Anh/chị không có việc nào đang mở. Phòng Quản lý Công nghệ và Đổi mới sáng tạo đang có 3 việc mở, "
        "1 quá hạn: gõ «việc phòng» để xem."]
    assert chat.say(PHONE, f"đăng ký {code}")[0].startswith(f"Tài khoản Zalo này đang liên kết với anh/chị {CHAU}")
    # The same code from another account: used.
    assert chat.say("7700000000000000002", f"đăng ký {code}") == [
        "Mã liên kết này đã được dùng. Anh/chị xin Văn phòng Sở mã mới."]


def test_a_second_code_leaves_the_first_working_unless_it_replaces_it(chat, runner, runtime, week):
    first = link_code(runner)
    link_code(runner)  # a second code, as when the office prints one again
    assert chat.say(PHONE, f"đăng ký {first}")[0].startswith("Đã liên kết")


def test_an_expired_or_replaced_code_does_not_link(chat, runner, runtime, week):
    old = link_code(runner)
    code = link_code(runner, replace=True)  # the office voids the old one
    assert chat.say(PHONE, f"đăng ký {old}") == [
        "Mã liên kết này đã được Văn phòng Sở thay bằng mã mới. Anh/chị dùng mã mới nhất được gửi, "
        "hoặc xin Văn phòng Sở cấp lại."]
    with runtime.session() as session:
        session.execute(
            update(LinkCode).where(LinkCode.code == code).values(expires_at=utcnow() - timedelta(minutes=1)))
    assert chat.say(PHONE, f"đăng ký {code}") == ["Mã liên kết này đã hết hạn. Anh/chị xin Văn phòng Sở mã mới."]
    assert chat.say(PHONE, "đăng ký") == ["Anh/chị gửi kèm mã liên kết, ví dụ: đăng ký K7MP3X"]
    assert officer(runtime, CHAU).zalo_user_id is None


def test_five_wrong_tries_block_the_account_for_an_hour(chat, runner, runtime, week):
    code = link_code(runner)
    wrong = "Mã liên kết không đúng. Anh/chị kiểm tra lại mã do Văn phòng Sở cấp."
    for _ in range(4):
        assert chat.say(PHONE, "đăng ký AAAAAA") == [wrong]
    # The fifth wrong try is told at once that the account must wait.
    [fifth] = chat.say(PHONE, "đăng ký AAAAAA")
    assert fifth.startswith(f"{wrong} Anh/chị đã nhập sai mã nhiều lần. Vui lòng thử lại sau ")
    blocked = chat.say(PHONE, f"đăng ký {code}")[0]
    assert blocked.startswith("Anh/chị đã nhập sai mã nhiều lần. Vui lòng thử lại sau ")
    assert officer(runtime, CHAU).zalo_user_id is None
    # Another account is not blocked; this one may try again an hour later.
    with runtime.session() as session:
        for attempt in session.exec(select(LinkAttempt)):
            attempt.at -= timedelta(minutes=61)
            session.add(attempt)
    assert chat.say(PHONE, f"đăng ký {code}")[0].startswith("Đã liên kết")


def test_withdrawing_does_not_reset_the_count_of_wrong_tries(chat, runner, runtime, week):
    code = link_code(runner)
    for _ in range(5):
        chat.say(PHONE, "đăng ký AAAAAA")
    assert chat.account_event("user_withdraw", PHONE) == []
    chat.account_event("follow", PHONE)
    blocked = chat.say(PHONE, f"đăng ký {code}")[0]
    assert blocked.startswith("Anh/chị đã nhập sai mã nhiều lần. Vui lòng thử lại sau ")
    assert officer(runtime, CHAU).zalo_user_id is None
    with runtime.session() as session:
        assert len(session.exec(select(LinkAttempt).where(LinkAttempt.zalo_user_id == PHONE)).all()) == 5


UNLINKED = ("Đã hủy liên kết. Nhắc Việc sẽ không gửi tin cho tài khoản Zalo này nữa. "
            "Muốn liên kết lại, anh/chị gửi: đăng ký MÃ")


def test_unlinking_asks_once_for_confirmation(chat, runtime, week):
    [asked] = chat.say(BINH, "hủy đăng ký")
    assert asked.startswith("Anh/chị có chắc muốn hủy liên kết tài khoản Zalo này?")
    assert chat.last_buttons()[0] == "hủy đăng ký xác nhận"
    assert officer(runtime, BINH).zalo_user_id is not None
    assert chat.say(BINH, "hủy đăng ký xác nhận") == [UNLINKED]  # the button
    assert officer(runtime, BINH).zalo_user_id is None


def test_unlinking_and_relinking(chat, runner, runtime, week):
    chat.say(BINH, "hủy đăng ký")
    assert chat.say(BINH, "Huy dang ky") == [UNLINKED]  # asked again, just after: confirmed
    phone = "5000000000000000005"
    assert officer(runtime, BINH).zalo_user_id is None
    [refused] = chat.say(phone, "việc của tôi")
    assert refused.startswith(NOT_LINKED) and "#" not in refused
    chat.say(phone, f"đăng ký {link_code(runner, BINH)}")
    assert listed(chat.say(phone, "việc của tôi")) == [week["meeting"], week["late"], week["someday"]]


def test_follow_and_unfollow(chat, runtime, week):
    [welcome] = chat.account_event("follow", PHONE)
    assert welcome.startswith("Chào mừng anh/chị đến với Nhắc Việc") and "đăng ký MÃ" in welcome
    assert chat.account_event("unfollow", BINH) == []
    assert officer(runtime, BINH).unreachable_since is not None
    assert chat.account_event("follow", BINH) == [
        f"Chào mừng anh/chị {BINH} quay lại Nhắc Việc! Gõ «việc của tôi» để xem việc đang mở."]
    assert officer(runtime, BINH).unreachable_since is None


def test_user_withdraw_forgets_the_account_but_keeps_the_officer_and_history(chat, runtime, week):
    phone = chat.user_id(BINH)
    chat.say(BINH, f"xong {week['late']}: đã gửi")
    chat.say(BINH, "việc của tôi")
    assert chat.account_event("user_withdraw", BINH) == []
    with runtime.session() as session:
        binh = f.officer(session, BINH)
        assert binh.zalo_user_id is None and binh.active and binh.unit_id
        events = session.exec(select(InboundEvent)).all()
        assert events and all(phone not in str(e.payload) and e.zalo_user_id != phone for e in events)
        sent = session.exec(select(OutboxMessage)).all()
        assert sent and all(m.zalo_user_id != phone and m.text == "" for m in sent)
        assert session.exec(select(LinkAttempt).where(LinkAttempt.zalo_user_id == phone)).all() == []
        closed = session.exec(
            select(TaskEvent).where(TaskEvent.task_id == week["late"], TaskEvent.action == "closed")).one()
        assert (closed.actor_id, closed.note) == (binh.id, "đã gửi")
    assert chat.say(phone, "việc của tôi")[0].startswith(NOT_LINKED)



def test_a_sticker_gets_one_friendly_line_a_voice_message_a_pointer_and_both_count_as_interactions(chat):
    sticker = text_event(chat.user_id("Phạm Thị Bình"), "")
    sticker["event_name"] = "user_send_sticker"
    sticker["message"] = {"msg_id": "sticker-1", "attachments": [{"type": "sticker", "payload": {"id": "s1"}}]}
    assert chat.send_event(sticker) == ["Dạ, Nhắc Việc đã nhận."]
    voice = {**sticker, "event_name": "user_send_audio", "message": {"msg_id": "audio-1", "attachments": []}}
    assert chat.send_event(voice) == ["Nhắc Việc chỉ đọc được tin nhắn chữ. Anh/chị gõ «giúp» để xem các lệnh."]
    with chat.runtime.session(read_only=True) as session:
        binh = session.exec(select(Officer).where(Officer.full_name == "Phạm Thị Bình")).one()
    assert binh.last_interaction_at is not None
