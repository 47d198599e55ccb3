"""Reading what officers type, and which command a message means (pure)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta

import pytest

from handlers import closing, extension, linking, listing
from handlers.conversation import router
from handlers.help import show_help, suggestion
from handlers.linking import blocked_until, code_written
from handlers.parsing import note_after, parse_day, phrase_key, read, task_numbers


def test_text_is_read_as_composed_words_with_folded_keys():
    message = read(unicodedata.normalize("NFD", "XONG #7: Đã gửi"))
    assert [t.text for t in message.tokens] == ["XONG", "#", "7", ":", "Đã", "gửi"]
    assert [t.key for t in message.tokens] == ["xong", "#", "7", ":", "da", "gui"]
    assert message.text_from(3) == "Đã gửi"
    assert [t.text for t in read("xong7 hạn 28/02/2025").tokens] == ["xong", "7", "hạn", "28/02/2025"]
    assert phrase_key("Việc của TÔI") == ("viec", "cua", "toi")


@pytest.mark.parametrize("typed, numbers, note", [
    ("xong 7", [7], None),
    ("xong #7", [7], None),
    ("xong 7, 8", [7, 8], None),
    ("xong 7 và #8, 7: đã gửi báo cáo", [7, 8], "đã gửi báo cáo"),
    ("xong việc số 12 - gửi Sở Tài chính", [12], "gửi Sở Tài chính"),
    ("xong: đã gửi", [], "đã gửi"),
    # Politeness is not a note.
    ("Xong #7 ạ!", [7], None),
    ("xong 7, 8 rồi nhé anh", [7, 8], None),
    ("xong 7 !!!", [7], None),
    ("xong 7 rồi, đã gửi chị Nhung", [7], "rồi, đã gửi chị Nhung"),
])
def test_task_numbers_and_the_note_after_them(typed, numbers, note):
    message = read(typed)
    found, end = task_numbers(message, 1)
    assert found == numbers
    assert note_after(message, end) == note


def test_days_as_written():
    today = date(2025, 3, 1)
    assert parse_day("5/3", today) == date(2025, 3, 5)
    assert parse_day("01/03", today) == today
    assert parse_day("28/02/2025", today) == date(2025, 2, 28)
    assert parse_day("5/1/26", today) == date(2026, 1, 5)
    assert parse_day("31/02", today) is None
    assert parse_day("12/13", today) is None
    # Without a year, the such day nearest to today: a day just gone stays in the past (a
    # slip, refused), never silently a year later.
    assert parse_day("28/02", today) == date(2025, 2, 28)
    assert parse_day("20/11", date(2026, 11, 27)) == date(2026, 11, 20)
    assert parse_day("05/01", date(2026, 12, 20)) == date(2027, 1, 5)
    assert parse_day("29/02", date(2027, 12, 1)) == date(2028, 2, 29)


def test_link_codes_as_typed():
    assert code_written("k7mp3x") == "K7MP3X"
    assert code_written("mã K7MP3X nhé") == "K7MP3X"
    assert code_written("mã: k7mp3x") == "K7MP3X"
    assert code_written("Mã số «K7MP3X».") == "K7MP3X"
    assert code_written("là K7MP3X") == "K7MP3X"
    assert code_written("") == ""


def test_an_account_is_blocked_for_an_hour_after_five_wrong_tries_in_an_hour():
    now = datetime(2025, 2, 17, 9, 0, tzinfo=UTC)
    minutes = [now - timedelta(minutes=m) for m in (50, 40, 30, 20, 10)]
    assert blocked_until(minutes, now) == now + timedelta(minutes=50)
    assert blocked_until(minutes[1:], now) is None  # four
    spread = [now - timedelta(minutes=m) for m in (75, 40, 30, 20, 10)]
    assert blocked_until(spread, now) is None  # not within one hour
    assert blocked_until(minutes, now + timedelta(minutes=51)) is None  # the hour is over


@pytest.mark.parametrize("typed, handler", [
    ("việc của tôi", listing.my_tasks),
    ("việc của tôi đã xong chưa", listing.my_tasks),
    ("em xong việc 7 rồi", closing.close),
    ("chưa xong 7", closing.reopen),
    ("gia hạn 7 28/02 bận", extension.ask),
    ("duyệt gia hạn 7", extension.approve),
    ("Từ chối gia hạn 7", extension.refuse),
    ("hủy đăng ký", linking.unlink),
    ("đăng kí ABCDEF", linking.link),
    ("việc đơn vị", listing.unit_tasks),
    ("còn việc gì quá hạn không?", listing.overdue),
    ("?", show_help),
])
def test_the_command_written_first_wins(typed, handler):
    command, _ = router.match(read(typed))
    assert command.handler is handler


@pytest.mark.parametrize("typed, meant", [
    ("viec cua toii", "việc của tôi"),
    ("vieccuatoi", "việc của tôi"),
    ("viec toi", "việc của tôi"),
    ("xongg 7: đã gửi", "xong 7: đã gửi"),
    ("chi tiet7", None),  # that is the command itself, not a near miss
    ("giupp", "giúp"),
    ("hôm nay trời đẹp", None),
    ("cảm ơn", None),
])
def test_near_misses(typed, meant):
    message = read(typed)
    if meant is None:
        assert router.match(message) is not None or suggestion(message, router.commands) is None
    else:
        assert router.match(message) is None
        assert suggestion(message, router.commands) == meant
