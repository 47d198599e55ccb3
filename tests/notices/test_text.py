"""Text as documents damage it, repaired; and the folded key every comparison uses."""

from __future__ import annotations

import unicodedata

import pytest

from notices.text import clean_line, old_style_tones, strip_emphasis
from tasks.text import fold, lower, simple


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
