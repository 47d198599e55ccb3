"""The header and the closing: number, place and dates, title, addressees, chair and signer."""

from __future__ import annotations

import textwrap
from datetime import date

import pytest

from notices import read_notice_text
from tests.notices.sample_notices import MINISTER, MINISTRY


def test_header_of_a_notice_with_a_date_and_a_number(ministry):
    header = ministry.notice
    assert (header.number, header.symbol, header.place, header.issued_on) == ("125", "TB-BNN-VP", "Hà Nội", date(2025, 3, 12))
    assert (header.meeting_on, header.week, header.year) == (date(2025, 3, 10), 11, 2025)
    assert header.title == "Kết luận của Thứ trưởng Nguyễn Văn An tại cuộc họp giao ban tuần 11 năm 2025"
    assert (header.chair, header.signer) == ("Nguyễn Văn An", "Nguyễn Văn An")


@pytest.mark.parametrize("addressees", [
    "Kính gửi:\nCác Vụ, Cục thuộc Bộ\nVăn phòng Bộ",
    "Kính gửi: Các Vụ, Cục thuộc Bộ; Văn phòng Bộ.",
    "Kính gửi:\tĐồng chí Bộ trưởng\n\tCác Vụ, Cục thuộc Bộ,\n\tVăn phòng Bộ.",
])
def test_addressees_written_without_bullets_are_not_the_body(ministry, addressees):
    text = MINISTRY.replace("Kính gửi:\n- Các Vụ, Cục thuộc Bộ;\n- Văn phòng Bộ.", addressees)
    assert text != MINISTRY
    assert read_notice_text(text).to_dict() == ministry.to_dict()


def test_the_place_is_read_on_the_line_of_the_number(email):
    assert (email.notice.number, email.notice.symbol, email.notice.place) == ("310", "TB-SKHCN", "Quảng Trị")


@pytest.mark.parametrize("width", [72, 80])
def test_a_title_that_fills_an_e_mail_line_stays_the_title(width):
    notice = read_notice_text("\n".join(textwrap.fill(line, width) for line in MINISTER.splitlines()))
    assert notice.notice.title == "Kết luận của Bộ trưởng Lê Minh Hoan tại cuộc họp giao ban Bộ tháng 4 năm 2024"
    assert [task.to_dict() for task in notice.tasks] == [task.to_dict() for task in read_notice_text(MINISTER).tasks]


def test_the_body_of_a_notice_pasted_alone_is_read():
    body = MINISTRY[MINISTRY.index("Ngày 10/3/2025"):]
    assert len(read_notice_text(body).tasks) == 8


def test_a_notice_without_a_meeting_day_says_so():
    notice = read_notice_text("THÔNG BÁO\nKết luận\nGiám đốc Sở kết luận như sau:\n1. Văn phòng Sở:\n- Rà soát.")
    assert notice.notice.meeting_on is None
    assert any("ngày họp" in warning for warning in notice.warnings)


def test_a_courtesy_close_is_not_part_of_the_last_task(email):
    assert email.tasks[-1].text == "hoàn thành quyết toán trước 30/01/2025."
    assert email.notice.signer == "Nguyễn Hữu Thắng"
