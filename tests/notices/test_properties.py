"""Whatever arrives, the reader answers or refuses in one line; the same notice typed differently
reads the same."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notices import NoticeError, parse_deadline, read_notice_text
from tasks.text import fold
from tests.fixtures.notices import seed_text

SEED = seed_text()
SEED_READ = read_notice_text(SEED)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def essence(notice) -> dict:
    """What must not change with the typing: refs, who, when, and the words (folded)."""
    data = notice.to_dict()
    for task in data["tasks"]:
        task["text"] = fold(task["text"])
        task["unit"] = fold(task["unit"] or "")
        task["coordinating"] = [fold(c) for c in task["coordinating"]]
        if task["deadline"]:
            task["deadline"]["raw"] = fold(task["deadline"]["raw"])
    data["notice"]["title"] = fold(data["notice"]["title"] or "")
    return data


EXPECTED = essence(SEED_READ)
SPACES = re.compile(r"(?<=\S) (?=\S)")

VARIANTS = {
    "nfd": lambda text, _: unicodedata.normalize("NFD", text),
    "crlf": lambda text, _: text.replace("\n", "\r\n"),
    "nbsp": lambda text, rnd: SPACES.sub(lambda m: "\u00a0" if rnd.random() < 0.3 else " ", text),
    "double spaces": lambda text, rnd: SPACES.sub(lambda m: "  " if rnd.random() < 0.3 else " ", text),
    "trailing spaces": lambda text, _: text.replace("\n", " \t\n"),
    "dashes": lambda text, rnd: re.sub(r" [-–] ", lambda m: rnd.choice((" — ", " – ", " - ")), text),
    "quotes": lambda text, _: text.replace("“", '"').replace("”", '"'),
    "new tone style": lambda text, _: text.replace("hóa", "hoá").replace("ủy", "uỷ").replace("Thủy", "Thuỷ"),
    "bom": lambda text, _: "\ufeff" + text,
}


@FAST
@given(
    st.lists(st.sampled_from(sorted(VARIANTS)), min_size=1, max_size=4, unique=True),
    st.randoms(use_true_random=False),
)
def test_the_seed_typed_differently_reads_the_same(variants, rnd):
    text = SEED
    for name in variants:
        text = VARIANTS[name](text, rnd)
    assert essence(read_notice_text(text)) == EXPECTED


NOTICE_WORDS = st.sampled_from([
    "1.", "2.", "II.", "a)", "-", "+", "•", "*", "**", ":", "Văn phòng Sở", "Phòng Kế hoạch - Tài chính",
    "Giao đồng chí Lê Hùng", "phối hợp với", "các phòng:", "trước ngày", "21/02/2025", "lúc 13h30 ngày",
    "quý II/2025", "từ", "31/7 –", "tháng 3", "năm 2025", "Chỉ thị số 38-CT/TW ngày", "THÔNG BÁO", "Nơi nhận:",
    "Kính gửi:", "Trên đây là", "./.", "\n", "\n\n", " ", "Số:", "/TB-SKHCN", "Quảng Trị, ngày", "tuần 7",
    "chủ trì", "Ngày 17/02/2025,", "hằng tháng", "(8h30)", "đ/c", "TRẦN THỊ NHUNG", "KT. GIÁM ĐỐC",
])


@FAST
@given(st.lists(NOTICE_WORDS, max_size=80).map(" ".join))
def test_notice_like_noise_never_crashes_the_reader(text):
    try:
        notice = read_notice_text(text)
    except NoticeError as error:
        assert "\n" not in str(error)
    else:
        assert notice.tasks and notice.to_dict()


@FAST
@given(st.text(max_size=400))
def test_any_text_never_crashes_the_reader(text):
    try:
        read_notice_text(text)
    except NoticeError:
        pass


@FAST
@given(st.text(alphabet=st.sampled_from("0123456789/-.:hgiờ ngàytrước tháng quý IV"), max_size=60), st.dates())
def test_any_date_like_phrase_never_crashes_the_deadline_reader(phrase, meeting_on):
    found = parse_deadline(phrase, meeting_on)
    assert found is None or found.raw
