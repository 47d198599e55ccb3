"""Text as documents damage it, repaired; and the folded key every comparison uses."""

from __future__ import annotations

import textwrap
import unicodedata

import pytest

from notices.structure import paragraphs
from tasks.text import fold, lower, simple
from notices.text import clean_line, old_style_tones, strip_emphasis


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("việc của tôi", "viec cua toi"),
        ("Viec cua toi", "viec cua toi"),
        ("VIỆC CỦA TÔI!", "viec cua toi!"),
        (unicodedata.normalize("NFD", "Việc  của\u00a0tôi"), "viec cua toi"),
        ("  Đồng chí  ĐẶNG Quốc Huy ", "dong chi dang quoc huy"),
        ("Kế hoạch – Tài chính", "ke hoach - tai chinh"),
        ("“Cà phê Khe Sanh”", '"ca phe khe sanh"'),
        ("hoà bình", "hoa binh"),
        ("xong\u200b 7", "xong 7"),
    ],
)
def test_fold_is_the_same_key_for_every_way_of_typing(typed, key):
    assert fold(typed) == key


def test_views_keep_positions():
    text = "Trước ngày 21/02/2025 – ĐẦU THÁNG"
    assert simple(text) == "truoc ngay 21/02/2025 - dau thang"
    assert len(simple(text)) == len(lower(text)) == len(text)


@pytest.mark.parametrize(
    ("new", "old"),
    [("hoà", "hòa"), ("Uỷ ban", "Ủy ban"), ("thuỷ lợi", "thủy lợi"), ("khoẻ", "khỏe"), ("HOÀ", "HÒA"), ("hoạ", "họa")],
)
def test_tone_placement_becomes_the_old_style(new, old):
    assert old_style_tones(new) == old
    assert old_style_tones(old) == old


@pytest.mark.parametrize("word", ["quý", "hoàn thành", "thuyết", "khoảng", "Quỳnh"])
def test_tone_placement_leaves_other_syllables(word):
    assert old_style_tones(word) == word


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("Văn phòngSở phối hợp", "Văn phòng Sở phối hợp"),
        ("hoàn thành.Tham mưu", "hoàn thành. Tham mưu"),
        ("trước ngày21/02/2025để báo cáo", "trước ngày 21/02/2025 để báo cáo"),
        ("các phòng ,đơn vị", "các phòng, đơn vị"),
        ("Kính  gửi :\u00a0\u00a0Các phòng", "Kính gửi: Các phòng"),
        ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),
        ("Nghị quyết số 57\u2011NQ/TW", "Nghị quyết số 57-NQ/TW"),
        ("1\\. Văn phòng Sở", "1. Văn phòng Sở"),
    ],
)
def test_clean_line_repairs_what_documents_do(damaged, repaired):
    assert clean_line(damaged) == repaired


@pytest.mark.parametrize("word", ["PowerPoint", "eKYC", "ThS.", "CN&ĐMST", "KH&CN", "TB-SKHCN", "13h30", "7 giờ 30’"])
def test_clean_line_leaves_names_and_codes(word):
    assert clean_line(word) == word


def test_emphasis_marks_go_and_a_lost_space_comes_back():
    assert strip_emphasis("THÔNG BÁO**Kết luận**") == "THÔNG BÁO Kết luận"
    assert strip_emphasis("*cải cách hành chính* và **trong ngày 21/02/2025**.") == (
        "cải cách hành chính và trong ngày 21/02/2025."
    )
    assert strip_emphasis("Ghi chú (*) giữ nguyên") == "Ghi chú (*) giữ nguyên"


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
