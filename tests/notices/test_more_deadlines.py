"""The deadline forms of documents from outside the Sở, in a table: dotted dates, a time after the
date, recurring days, named days, counted days, periods already over, and what cannot be read."""

from __future__ import annotations

from datetime import date

import pytest

from notices.deadlines import read_deadlines

MEETING = date(2025, 11, 17)  # a Monday


@pytest.mark.parametrize(("sentence", "kind", "day", "clock"), [
    # dotted dates without a year, after a cue
    ("Nộp hồ sơ chậm nhất ngày 15.11", "on", date(2026, 11, 15), None),
    ("Gửi báo cáo trước ngày 5.12", "before", date(2025, 12, 5), None),
    # a time written after the date
    ("Tổ chức Ngày hội khởi nghiệp vào ngày 09/12, từ 14h00", "on", date(2025, 12, 9), "14:00"),
    ("Chuẩn bị tài liệu cho hội thảo ngày 09/12, từ 14h00", "meeting", date(2025, 12, 9), "14:00"),
    ("Khai mạc ngày 20/11/2025, bắt đầu từ 7 giờ 30", "on", date(2025, 11, 20), "07:30"),
    # recurring days
    ("Báo cáo tiến độ vào ngày 25 hằng tháng", "recurring", date(2025, 11, 25), None),
    ("Gửi số liệu ngày 20 của tháng cuối quý", "recurring", date(2025, 12, 20), None),
    ("Cập nhật danh mục ngày 5 tháng đầu mỗi quý", "recurring", date(2026, 1, 5), None),
    ("Tổng hợp định kỳ hằng quý", "recurring", None, None),
    # named days: the lunar ones from the holidays package, the solar ones on their day
    ("Hoàn thành trước Tết Nguyên đán", "before", date(2026, 2, 17), None),
    ("Hoàn thành trước Tết Nguyên đán Bính Ngọ 2026", "before", date(2026, 2, 17), None),
    ("Trình kế hoạch chậm nhất Tết Dương lịch", "on", date(2026, 1, 1), None),
    ("Khánh thành công trình trước ngày Quốc khánh", "before", date(2026, 9, 2), None),
    ("Báo cáo thi đua trước dịp 30/4", "before", date(2026, 4, 30), None),
    ("Tổ chức dâng hương trước Giỗ Tổ Hùng Vương", "before", date(2026, 4, 26), None),
    # counted days, from the date written or from the document's day
    ("Trả lời trong 05 ngày làm việc kể từ ngày 24/11/2025", "on", date(2025, 12, 1), None),
    ("Trả lời trong 3 ngày làm việc kể từ ngày 31/12/2025", "on", date(2026, 1, 6), None),
    ("Hoàn thiện hồ sơ sau 10 ngày", "on", date(2025, 11, 27), None),
    ("Báo cáo trong vòng 7 ngày kể từ ngày nhận được văn bản", "on", date(2025, 11, 24), None),
])
def test_deadline_forms(sentence, kind, day, clock):
    (found,), unread = read_deadlines(sentence, MEETING)
    assert (found.kind, found.date, found.time) == (kind, day, clock)
    assert unread == []


@pytest.mark.parametrize("sentence", [
    "Tổng hợp kết quả thực hiện trong tháng 10/2025 để rút kinh nghiệm",
    "Xử lý các kiến nghị phát sinh trong quý III/2025",
    "Rà soát kết quả 6 tháng đầu năm 2025",
])
def test_a_period_over_at_the_documents_date_is_a_fact_not_a_deadline(sentence):
    assert read_deadlines(sentence, MEETING) == ([], [])


@pytest.mark.parametrize(("sentence", "phrase"), [
    ("Gửi báo cáo tổng kết trước ngày 30/02/2026", "trước ngày 30/02/2026"),
    ("Nộp hồ sơ chậm nhất ngày 31/4", "chậm nhất ngày 31/4"),
    ("Hoàn thiện hồ sơ lưu trữ vào cuối kỳ", "vào cuối kỳ"),
    ("Triển khai ngay sau khi Đề án được phê duyệt", "sau khi Đề án được phê duyệt"),
    ("Tổ chức vui Tết cho thiếu nhi trước Tết Trung thu", "trước Tết Trung thu"),
    ("Kết luận thanh tra sau 10 ngày kể từ ngày kết thúc thanh tra", "sau 10 ngày kể từ ngày kết thúc thanh tra"),
])
def test_what_looks_like_a_deadline_but_cannot_be_read_is_flagged(sentence, phrase):
    assert read_deadlines(sentence, MEETING) == ([], [phrase])
