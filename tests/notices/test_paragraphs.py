"""Lines joined into paragraphs: a sentence or a word broken by a line or a page is one again."""

from __future__ import annotations

import textwrap

from notices.paragraphs import paragraphs


def test_a_break_inside_a_sentence_or_a_word_is_mended():
    lines = [
        "- Tham mưu theo tinh thần của *Nghị quyết số 57-*",
        "",
        "NQ/TW của Bộ Chính trị, hoàn thành trước 15/3/2025.",
        "- Phối hợp với các phòng: Quản lý khoa học, Văn",
        "",
        "phòng Sở thực hiện.",
        "2. Phòng Quản lý CN&ĐMST",
        "- Tiếp tục hoàn thiện dự thảo, phối hợp với",
        "Văn phòng Sở trình UBND tỉnh.",
    ]
    assert paragraphs(lines) == [
        "- Tham mưu theo tinh thần của *Nghị quyết số 57-*NQ/TW của Bộ Chính trị, hoàn thành trước 15/3/2025.",
        "- Phối hợp với các phòng: Quản lý khoa học, Văn phòng Sở thực hiện.",
        "2. Phòng Quản lý CN&ĐMST",
        "- Tiếp tục hoàn thiện dự thảo, phối hợp với Văn phòng Sở trình UBND tỉnh.",
    ]


def test_headings_and_items_are_never_joined():
    lines = ["5. Phòng Kế hoạch - Tài chính", "Cập nhật, bổ sung kinh phí.", "* Cục Thú y:", "+ Theo dõi dịch bệnh"]
    assert paragraphs(lines) == lines


def test_a_marker_alone_on_its_line_takes_the_next_line():
    assert paragraphs(["1.", "Văn phòng Sở:", "-", "Rà soát quy chế."]) == ["1. Văn phòng Sở:", "- Rà soát quy chế."]


def test_page_numbers_and_rules_are_dropped():
    assert paragraphs(["Phối hợp với các phòng", "2", "", "thực hiện.", "-----", "Nơi nhận:"]) == [
        "Phối hợp với các phòng thực hiện.",
        "Nơi nhận:",
    ]


def test_a_sentence_broken_before_a_name_or_a_date_is_one_paragraph():
    lines = [
        "- Tham mưu tổ chức Hội nghị cán bộ năm 2025; dự thảo báo cáo gửi",
        "Ban Giám đốc trước ngày 3/1.",
        "2. Sở Tài chính: thẩm định dự toán kinh phí thực hiện Đề án, hoàn thành trước",
        "30-12.",
        "3. Phòng Quản lý khoa học",
        "Báo cáo tình hình thực hiện nhiệm vụ.",
    ]
    assert paragraphs(lines) == [
        "- Tham mưu tổ chức Hội nghị cán bộ năm 2025; dự thảo báo cáo gửi Ban Giám đốc trước ngày 3/1.",
        "2. Sở Tài chính: thẩm định dự toán kinh phí thực hiện Đề án, hoàn thành trước 30-12.",
        "3. Phòng Quản lý khoa học",
        "Báo cáo tình hình thực hiện nhiệm vụ.",
    ]


def test_a_hard_wrapped_e_mail_keeps_a_short_line_that_ends_a_paragraph():
    title = "Kết luận của Giám đốc Sở tại Hội nghị giao ban tuần 51 năm 2024"
    body = (
        "Ngày 23/12/2024, Giám đốc Sở Trần Ngọc Lâm chủ trì Hội nghị giao ban. Sau khi nghe báo cáo của các "
        "phòng, đơn vị, Giám đốc Sở kết luận như sau:"
    )
    task = (
        "- Rà soát, cập nhật danh mục thủ tục hành chính theo Quyết định số 1085/QĐ-UBND ngày 15/12/2024 "
        "của UBND tỉnh, hoàn thành trong ngày 27/12/2024, báo cáo Giám đốc Sở kết quả thực hiện."
    )
    lines = ["THÔNG BÁO", *textwrap.wrap(title, 72), *textwrap.wrap(body, 72), "1. Văn phòng Sở",
             *textwrap.wrap(task, 72), *textwrap.wrap(task.replace("27/12", "30/12"), 72)]
    assert paragraphs(lines) == ["THÔNG BÁO", title, body, "1. Văn phòng Sở", task, task.replace("27/12", "30/12")]
