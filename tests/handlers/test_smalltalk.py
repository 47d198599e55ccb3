"""A bot that listens: everyday messages and what each is understood as; small talk never gets
the full help, and "ok" to a reminder gets nothing at all."""

from __future__ import annotations

import pytest

from handlers.conversation import router
from handlers.parsing import read
from handlers.smalltalk import intent
from tests.fixtures.chat import text_event
from tests.handlers import factories as f

HELP_HEADER = "Nhắc Việc hiểu các lệnh sau"

EVERYDAY = [
    # greetings
    ("chào", "chào"), ("Chào em", "chào"), ("xin chào Nhắc Việc", "chào"), ("chao ban", "chào"), ("Hello", "chào"),
    ("hi bot", "chào"), ("alo", "chào"), ("Chào buổi sáng ạ", "chào"), ("Em chào anh ạ!", "chào"),
    # thanks
    ("cảm ơn", "cảm ơn"), ("Cám ơn em nhiều ạ", "cảm ơn"), ("cam on", "cảm ơn"), ("thanks", "cảm ơn"),
    ("tks", "cảm ơn"), ("cảm ơn đã nhắc", "cảm ơn"), ("Cảm ơn bot đã giúp ạ", "cảm ơn"), ("Thank you so much", "cảm ơn"),
    ("/-thanks", "đã nhận"),
    # "ok", emoji, Zalo's emoticons
    ("ok", "đã nhận"), ("OK", "đã nhận"), ("oke em", "đã nhận"), ("dạ", "đã nhận"), ("Vâng ạ", "đã nhận"),
    ("ok rồi nhé", "đã nhận"), ("Đã nhận", "đã nhận"), ("em nhận được rồi ạ", "đã nhận"), ("đã rõ", "đã nhận"),
    ("👍", "đã nhận"), ("/-strong", "đã nhận"), ("🙏🙏", "đã nhận"), (":)", "đã nhận"), ("ừ", "đã nhận"),
    ("okie 👌", "đã nhận"),
    ("tạm biệt", "tạm biệt"), ("bye", "tạm biệt"),
    # questions in everyday words
    ("cho em hỏi việc của em là gì ạ", "việc của tôi"), ("em có việc gì không", "việc của tôi"),
    ("việc được giao cho em là gì", "việc của tôi"), ("em cần làm gì", "việc của tôi"),
    ("hôm nay có họp gì không", "việc hôm nay"), ("hôm nay em có lịch gì", "việc hôm nay"),
    ("có việc nào quá hạn không", "quá hạn"), ("tuần này em có việc gì", "tuần này"),
    ("phòng mình có việc gì", "việc phòng"), ("hướng dẫn sử dụng", "giúp"),
    # commands, any keyboard, typos
    ("viec cua toi", "việc của tôi"), ("VIỆC CỦA TÔI!", "việc của tôi"), ("xong 7", "xong"), ("ok xong 7 nhé", "xong"),
    ("chi tiet 7", "chi tiết"), ("giup", "giúp"), ("?", "giúp"), ("tim techfest", "tìm"), ("tổng hợp", "tổng hợp"),
    ("tiến độ 7: đã gửi dự thảo", "tiến độ"), ("giao 7 cho Châu", "giao"),
    # not understood here (the fallback suggests or answers in one line)
    ("viec cua toii", None), ("hôm nay trời đẹp quá", None), ("đã tổng hợp xong", "xong"), ("asdfgh", None),
]


@pytest.mark.parametrize("text, meant", EVERYDAY)
def test_everyday_messages_are_understood_as(text, meant):
    assert intent(read(text), router) == meant


def test_the_table_is_long_enough():
    assert len(EVERYDAY) >= 40


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
def test_small_talk_gets_one_short_line_and_never_the_help(chat, week):
    answers = {text: chat.say("Lê Hùng", text) for text, meant in EVERYDAY if meant in ("chào", "cảm ơn", "đã nhận",
                                                                                        "tạm biệt")}
    assert all(len(replies) == 1 and "\n" not in replies[0] and HELP_HEADER not in replies[0]
               for replies in answers.values()), answers
    assert answers["chào"] == ["Chào anh/chị Lê Hùng! Gõ «việc của tôi» để xem việc đang mở."]
    assert answers["Cám ơn em nhiều ạ"] == ["Dạ, Nhắc Việc luôn sẵn sàng hỗ trợ anh/chị."]
    assert answers["👍"] == ["Dạ, Nhắc Việc đã nhận."]
    # A question in everyday words runs the command it means.
    assert chat.say("Lê Hùng", "em có việc gì không ạ")[0].startswith("Việc đang mở của anh/chị (1):")


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
def test_ok_to_a_reminder_gets_nothing_at_all(chat, runtime, week):
    with runtime.session() as session:
        chau = f.on_zalo(session, "Hoàng Minh Châu", zalo_user_id="5000000000000000006")
    chat.say("Phạm Thị Bình", f"giao {week['late']} cho Châu")
    handed = next(m for m in chat.zalo.sent if m.user_id == chau.zalo_user_id)  # she was told, with buttons
    assert chat.say(chau.zalo_user_id, "ok") == []
    assert chat.say(chau.zalo_user_id, "👍", quote_msg_id=handed.message_id) == []
    sticker = text_event(chau.zalo_user_id, "")
    sticker["event_name"] = "user_send_sticker"
    assert chat.send_event(sticker) == []
    # Once she has been answered, "ok" is small talk again.
    chat.say(chau.zalo_user_id, "việc của tôi")
    assert chat.say(chau.zalo_user_id, "ok") == ["Dạ, Nhắc Việc đã nhận."]
