"""Deadline phrases as notices write them, each with the meeting it was set at.

Expected: (kind, date, time, start) or None when the phrase sets no deadline (the traps).
"""

from __future__ import annotations

from datetime import date

import pytest

from notices import parse_deadline

FEB = date(2025, 2, 17)  # the sample notice's meeting, a Monday
DEC = date(2025, 12, 22)  # a meeting late in the year: year-less dates fall in the next one

PHRASES = [
    # on / before a day
    ("trước ngày 30/6/2025", FEB, ("before", "2025-06-30", None, None)),
    ("hoàn thành trước 15/3/2025", FEB, ("before", "2025-03-15", None, None)),
    ("trình Giám đốc Sở trong ngày 21/02/2025", FEB, ("on", "2025-02-21", None, None)),
    ("chậm nhất ngày 20/4/2018", date(2018, 4, 9), ("on", "2018-04-20", None, None)),
    ("gửi về Sở chậm nhất là ngày 25/02/2025", FEB, ("on", "2025-02-25", None, None)),
    ("hạn chót 28/02/2025", FEB, ("on", "2025-02-28", None, None)),
    ("đến hết ngày 28/02/2025", FEB, ("on", "2025-02-28", None, None)),
    ("Thời hạn: 30/6/2025", FEB, ("on", "2025-06-30", None, None)),
    ("hoàn thành ngày 30 tháng 9 năm 2025", FEB, ("on", "2025-09-30", None, None)),
    ("trước ngày 30 tháng 9", FEB, ("before", "2025-09-30", None, None)),
    ("báo cáo trước 30-7", FEB, ("before", "2025-07-30", None, None)),
    ("trước ngày 30.6.2025", FEB, ("before", "2025-06-30", None, None)),
    ("trước 30/6/25", FEB, ("before", "2025-06-30", None, None)),
    ("trước ngày 5/3", FEB, ("before", "2025-03-05", None, None)),
    ("trước 24/02", FEB, ("before", "2025-02-24", None, None)),
    ("trước ngày 5/1", DEC, ("before", "2026-01-05", None, None)),
    ("trong ngày 10/01", DEC, ("on", "2026-01-10", None, None)),
    ("trước ngày 20", FEB, ("before", "2025-02-20", None, None)),
    ("trước ngày 10", FEB, ("before", "2025-03-10", None, None)),
    # with a time
    ("trước 14 giờ, ngày 05/12/2017", date(2017, 12, 4), ("before", "2017-12-05", "14:00", None)),
    ("trước 16h00 ngày 20/02/2025", FEB, ("before", "2025-02-20", "16:00", None)),
    ("trước 8h ngày 03/3/2025", FEB, ("before", "2025-03-03", "08:00", None)),
    ("chậm nhất 17h00 ngày 21/02/2025", FEB, ("on", "2025-02-21", "17:00", None)),
    ("gửi bản cứng 2 giờ chiều ngày 20/02/2025", FEB, ("on", "2025-02-20", "14:00", None)),
    ("gửi trước 17h ngày thứ Sáu 21/02/2025", FEB, ("before", "2025-02-21", "17:00", None)),
    ("tổ chức vào sáng thứ Năm (20/02/2025)", FEB, ("on", "2025-02-20", None, None)),
    # ready for a meeting
    ("để phục vụ cuộc họp lúc 13h30 ngày 18/02/2025.", FEB, ("meeting", "2025-02-18", "13:30", None)),
    ("phục vụ cuộc họp lúc 7h30 ngày 18/02/2025", FEB, ("meeting", "2025-02-18", "07:30", None)),
    ("báo cáo tại Hội nghị lúc 7 giờ 30’ ngày 20/02/2025", FEB, ("meeting", "2025-02-20", "07:30", None)),
    ("vào lúc 8 giờ 00 ngày 19/02/2025", FEB, ("meeting", "2025-02-19", "08:00", None)),
    ("lúc 14 giờ ngày 18/02/2025", FEB, ("meeting", "2025-02-18", "14:00", None)),
    ("dự họp trực tuyến ngày 20/02/2025 (8h30)", FEB, ("meeting", "2025-02-20", "08:30", None)),
    ("chuẩn bị nội dung họp (8h30) ngày 20/02/2025", FEB, ("meeting", "2025-02-20", "08:30", None)),
    ("chuẩn bị tài liệu cho cuộc họp ngày 20/02/2025", FEB, ("meeting", "2025-02-20", None, None)),
    # periods
    ("trong tháng 3/2025", FEB, ("period", "2025-03-31", None, "2025-03-01")),
    ("trình Giám đốc Sở trong tháng 02/2025", FEB, ("period", "2025-02-28", None, "2025-02-01")),
    ("trong tháng 3 năm 2025", FEB, ("period", "2025-03-31", None, "2025-03-01")),
    ("ban hành đầu tháng 3/2025.", FEB, ("period", "2025-03-10", None, "2025-03-01")),
    ("giữa tháng 3/2025", FEB, ("period", "2025-03-20", None, "2025-03-11")),
    ("cuối tháng 3/2025", FEB, ("period", "2025-03-31", None, "2025-03-21")),
    ("cuối tháng 2/2024", date(2024, 2, 5), ("period", "2024-02-29", None, "2024-02-21")),
    ("cuối tháng", FEB, ("period", "2025-02-28", None, "2025-02-21")),
    ("hoàn thành trong tháng", FEB, ("period", "2025-02-28", None, "2025-02-01")),
    ("trong tháng 1", DEC, ("period", "2026-01-31", None, "2026-01-01")),
    ("hoàn thành tháng 3/2025", FEB, ("period", "2025-03-31", None, "2025-03-01")),
    ("Thời hạn: tháng 4/2025", FEB, ("period", "2025-04-30", None, "2025-04-01")),
    ("quý II/2025", FEB, ("period", "2025-06-30", None, "2025-04-01")),
    ("hoàn thành trong quý III năm 2025", FEB, ("period", "2025-09-30", None, "2025-07-01")),
    ("trong quý IV", FEB, ("period", "2025-12-31", None, "2025-10-01")),
    ("trong quý I", DEC, ("period", "2026-03-31", None, "2026-01-01")),
    ("cuối quý II/2025", FEB, ("period", "2025-06-30", None, "2025-06-01")),
    ("6 tháng đầu năm 2025", FEB, ("period", "2025-06-30", None, "2025-01-01")),
    ("trong 6 tháng cuối năm 2025", FEB, ("period", "2025-12-31", None, "2025-07-01")),
    ("trong năm 2025", FEB, ("period", "2025-12-31", None, "2025-01-01")),
    ("cuối năm 2025", FEB, ("period", "2025-12-31", None, "2025-12-01")),
    ("trong tuần", FEB, ("period", "2025-02-21", None, "2025-02-17")),
    ("trong khoảng từ 31/7 – 15/8/2025", FEB, ("period", "2025-08-15", None, "2025-07-31")),
    ("tổ chức từ 31/7 — 15/8/2025", FEB, ("period", "2025-08-15", None, "2025-07-31")),
    ("từ ngày 10 đến ngày 15/3/2025", FEB, ("period", "2025-03-15", None, "2025-03-10")),
    ("từ ngày 01/3/2025 đến ngày 31/3/2025", FEB, ("period", "2025-03-31", None, "2025-03-01")),
    ("từ 25/12 đến 5/1", DEC, ("period", "2026-01-05", None, "2025-12-25")),
    ("từ nay đến hết ngày 28/02/2025", FEB, ("period", "2025-02-28", None, "2025-02-17")),
    ("trước tháng 4/2025", FEB, ("before", "2025-04-01", None, None)),
    # recurring
    ("định kỳ hằng tháng", FEB, ("recurring", None, None, None)),
    ("báo cáo định kỳ hàng tuần", FEB, ("recurring", None, None, None)),
    ("gửi báo cáo trước ngày 20 hằng tháng", FEB, ("recurring", "2025-02-20", None, None)),
    ("họp giao ban thứ Sáu hằng tuần", FEB, ("recurring", "2025-02-21", None, None)),
    # typed without diacritics, or with Word's damage
    ("truoc ngay 30/6/2025", FEB, ("before", "2025-06-30", None, None)),
    ("trong ngay 21/02/2025", FEB, ("on", "2025-02-21", None, None)),
    ("trước\u00a0ngày  21/02/2025", FEB, ("before", "2025-02-21", None, None)),
    ("**trước ngày 21/02/2025**.", FEB, ("before", "2025-02-21", None, None)),
    # two deadlines: the last one, in time; a day written beats "every week"
    ("hoàn thành trước ngày 15/3/2025 và báo cáo trước ngày 20/3/2025", FEB, ("before", "2025-03-20", None, None)),
    ("tổ chức Hội nghị giữa tháng 3/2025; gửi dự thảo trước ngày 3/3", FEB, ("period", "2025-03-20", None, "2025-03-11")),
    ("quyết toán trước 30/3/2025; báo cáo tiến độ vào thứ Sáu hằng tuần", FEB, ("before", "2025-03-30", None, None)),
    # a span of days written once
    ("trong các ngày 20-21/3/2025", FEB, ("period", "2025-03-21", None, "2025-03-20")),
    ("tổ chức ngày 20 - 21/3", FEB, ("period", "2025-03-21", None, "2025-03-20")),
    # none, and the traps
    ("thường xuyên", FEB, None),
    ("theo kế hoạch", FEB, None),
    ("năm 2025", FEB, None),
    ("Tham mưu quản lý nhiệm vụ KH&CN năm 2025", FEB, None),
    ("Chương trình công tác trọng tâm năm 2025", FEB, None),
    ("Chỉ thị số 38-CT/TW ngày 30/7/2024", FEB, None),
    ("Báo cáo số 552/BC-HĐND ngày 01/12/2017", date(2017, 11, 27), None),
    ("triển khai Quyết định số 15/QĐ-UBND ngày 20/3/2025 của UBND tỉnh", FEB, None),
    ("theo Kế hoạch ngày 25/02/2025 của UBND tỉnh", FEB, None),
    ("Nghị định 13/2023/NĐ-CP ngày 17/4/2025", FEB, None),
    ("Nghị quyết số 03/NQ-CP của Chính phủ", FEB, None),
    ("Nghị quyết số 163/2021/NQ-HĐND và Nghị quyết số 36/2024/NQ-HĐND", FEB, None),
    ("như đã thống nhất tại Hội nghị ngày 10/02/2025", FEB, None),
    ("“Ngày thứ 7 chuyển đổi số cộng đồng”", FEB, None),
    ("Hội nghị trực báo tuần 7 năm 2025", FEB, None),
    ("báo cáo kết quả quý I/2025", FEB, None),
    ("báo cáo sơ kết 6 tháng đầu năm 2025", FEB, None),
    ("xây dựng Kế hoạch tháng 3/2025", FEB, None),
    ("diện tích 1.000 m2, kinh phí 5,5 tỷ đồng", FEB, None),
    ("Quy chế quản lý nhiệm vụ KH&CN cấp tỉnh", FEB, None),
    ("theo dõi, quản trị tài khoản zalo", FEB, None),
]


def _ids():
    return [f"{i:02d}-{phrase[:40]}" for i, (phrase, _, _) in enumerate(PHRASES)]


@pytest.mark.parametrize(("phrase", "meeting_on", "expected"), PHRASES, ids=_ids())
def test_deadline_phrase(phrase, meeting_on, expected):
    found = parse_deadline(phrase, meeting_on)
    if expected is None:
        assert found is None
        return
    assert found is not None, phrase
    got = found.to_dict()
    assert (got["kind"], got["date"], got["time"], got["start"]) == expected
    # The raw phrase is the text as written, found inside what was given.
    assert found.raw and found.raw.replace("\u00a0", " ") in " ".join(phrase.replace("\u00a0", " ").split()).replace("*", "")


def test_the_table_covers_every_form_and_enough_traps():
    kinds = {e[0] for _, _, e in PHRASES if e}
    assert kinds == {"on", "before", "meeting", "period", "recurring"}
    assert len(PHRASES) >= 60 and sum(e is None for _, _, e in PHRASES) >= 15


def test_raw_keeps_the_words_of_the_notice():
    found = parse_deadline("phần đầu tổ chức vòng chung kết trong khoảng từ 31/7 – 15/8/2025.", FEB)
    assert found.raw == "trong khoảng từ 31/7 – 15/8/2025"
    assert parse_deadline("Ngày thứ 7, phục vụ cuộc họp lúc 13h30 ngày 18/02/2025.", FEB).raw == "lúc 13h30 ngày 18/02/2025"


def test_raw_is_one_line_with_its_brackets_paired():
    assert parse_deadline("chuẩn bị cuộc họp tháng 5 (7 giờ 30’, thứ Hai, ngày 06/5/2024).", date(2024, 4, 8)).raw == (
        "7 giờ 30’, thứ Hai, ngày 06/5/2024"
    )
    assert parse_deadline("báo cáo trước\n31/12.", DEC).raw == "trước 31/12"


def test_a_date_without_a_year_needs_a_meeting_to_place_it():
    assert parse_deadline("trước ngày 5/3", None) is None
    assert parse_deadline("trước ngày 5/3/2025", None).to_dict()["date"] == "2025-03-05"


def test_recurring_deadlines_say_how_often():
    assert parse_deadline("định kỳ hằng quý", FEB).every == "quarter"
    assert parse_deadline("trước ngày 20 hằng tháng", FEB).every == "month"
