"""The header and the closing of a notice, read and set aside from its body.

The header: Quốc hiệu, "Số: …", place and date, "THÔNG BÁO" and the title, "Kính gửi: …". The
closing: "Trên đây …", "Nơi nhận:", the signature. The meeting's day, week and chair are read
from the title and the opening paragraphs of the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from notices.dates import cites_document
from notices.kinds import HEADING
from notices.outline import heading_of
from notices.paragraphs import Para, is_caps
from notices.people import find_people, signer_name, starts_with_unit
from tasks.text import VN_LOWER, VN_UPPER, fold, simple

_NUMBER = re.compile(
    rf"(?:Số|SỐ|số)\s*:?\s*(?P<number>\d+[a-zA-Z]?)?\s*/\s*(?P<symbol>[{VN_UPPER}0-9][{VN_UPPER}0-9&.\-/]*)"
)
_PLACE_DATE = re.compile(
    rf"(?<!\w)(?P<place>[{VN_UPPER}][{VN_LOWER}]*\.?(?:\s+[{VN_UPPER}][{VN_LOWER}]*){{0,3}})\s*,\s*[Nn]g(?:ày|ay)\s*"
    r"(?P<d>\d{1,2})?\s*(?:th(?:á|a)ng|/|-|\.)\s*(?P<m>\d{1,2})?\s*(?:n(?:ă|a)m|/|-|\.)\s*(?P<y>\d{4})?"
)
_HEADER_LINES = re.compile(
    r"^(?:cong hoa xa hoi chu nghia viet nam|doc lap\s*-\s*tu do\s*-\s*hanh phuc|dang cong san viet nam"
    r"|dang bo|ubnd|uy ban nhan dan|so khoa hoc|chi bo)"
)
_SUBJECT = re.compile(r"^(?:v/v|ve viec)\s*:?\s*")
# What a web page puts around a notice copied from it: its path, posting time, view count.
_STAMP = re.compile(
    r"^(?:(?:ngay dang|ngay cap nhat|cap nhat|dang luc|dang ngay|thoi gian dang)\s*:?\s*)?"
    r"\d{1,2}/\d{1,2}/\d{4}\s*,?\s*(?:\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm)?)?$"
    r"|^(?:luot xem|trang chu\b.*>|chia se\b|in trang\b)"
)
_BODY_OPENING = re.compile(r"^(?:ngay\s+\d+|vao\s+(?:luc|ngay)|sang|chieu|hom nay|can cu|thuc hien|tai)\b")
_CLOSING = re.compile(r"^(?:tren day la|noi nhan\b|tran trong\b)")
_AUTHORITY = re.compile(r"^(?:(?:tl|kt|tm|q|tuq)\s*\.?\s*[a-z]|(?:pho )?giam doc$)")
_ASKS_EVERYONE = re.compile(
    r"(?:quan tam|nghiem tuc|khan truong|to chuc|trien khai|can cu nhiem vu duoc giao trien khai)?\s*thuc hien"
    r"(?: (?:chi thi|ke hoach|van ban|thong bao|cong van|quyet dinh) nay)?\s*\./\.$"
)
_EVERYONE = re.compile(r"\b(?:cac (?:so|phong|co quan|don vi|ban|nganh)|thu truong cac|chu tich ubnd cac)\b")
_CLOSING_SENTENCE = re.compile(r"\bthong bao (?:de|cho|den)\b")
_MEETING_WORDS = re.compile(r"hoi nghi|hop|giao ban|truc bao|lam viec")
_FULL_DATE = re.compile(r"(?<![\d/])(\d{1,2})\s*(?:/|-|\.|\s+thang\s+)\s*(\d{1,2})\s*(?:/|-|\.|,?\s*nam\s+)\s*(\d{4})")
_WEEK = re.compile(r"\btuan\s+(?:thu\s+)?(\d{1,2})(?:\s*(?:/|,?\s*nam)\s*(\d{4}))?")


@dataclass
class HeaderBlock:
    """What the header says: `fields` number, symbol, place, issued_on, issue_year (those found),
    the title's paragraphs, and `body_start`, the first paragraph after the header."""

    fields: dict = field(default_factory=dict)
    title: list[str] = field(default_factory=list)
    body_start: int = 0
    kind: str | None = None  # the kind word of the heading, folded ("thong bao", "ke hoach")
    heading: str | None = None  # the heading line as written ("THÔNG BÁO", "V/v …")
    letter: bool = False  # a subject line ("V/v …") or addressees ("Kính gửi: …")


def read_header(paras: list[Para]) -> HeaderBlock:
    """Number, symbol, place, date and title; `body_start` is the first paragraph after them."""
    header = HeaderBlock()
    in_title = False
    kinh_gui = False
    i = 0
    for i, para in enumerate(paras):
        text, key = para.text, fold(para.text)
        if kinh_gui and (para.kind or _addressee(text)):
            continue
        kinh_gui = False
        if key.startswith("kinh gui"):
            kinh_gui, in_title, header.letter = True, False, True
            continue
        if _STAMP.match(key):  # a web page's posting time, a view count
            continue
        if (subject := _SUBJECT.match(key)) and not header.title:
            header.title, header.heading, header.letter = [text[subject.end():].strip()], text, True
            continue
        if in_title and not (_NUMBER.search(text) or _PLACE_DATE.search(text)):
            opening = (_BODY_OPENING.match(key) or para.kind or text.endswith((".", ";", ":"))
                       or len(header.title) >= 2 or heading_of(para))
            if not opening and len(text.split()) <= 40:
                header.title.append(text)
                continue
            header.body_start = i
            return header
        in_title = False
        found = False
        if "symbol" not in header.fields and (m := _NUMBER.search(text)):
            header.fields.update(number=m["number"], symbol=m["symbol"].strip("-./"))
            found = True
        if "place" not in header.fields and (m := _PLACE_DATE.search(text)):
            d, mo, y = (int(m[g]) if m[g] else None for g in ("d", "m", "y"))
            header.fields.update(place=m["place"], issued_on=_valid_date(y, mo, d), issue_year=y)
            found = True
        kind = HEADING.match(simple(text))
        if kind and header.kind is None and (is_caps(text[:kind.end()]) or len(key.split()) <= 2):
            rest = text[kind.end():].strip(" :-–")
            if kind.group() == "ket luan" and rest:
                rest = text  # "KẾT LUẬN CỦA …": the title holds its first words
            header.title = [rest] if rest else []
            header.kind, header.heading, in_title = kind.group(), text, True
            continue
        if key.startswith("ket luan") and not para.kind and not text.endswith((".", ":")):
            header.title, in_title = [text], True  # a notice pasted without its "THÔNG BÁO"
            header.kind = header.kind or "ket luan"
            continue
        if found or _HEADER_LINES.match(key) or (is_caps(text) and not para.kind and len(text.split()) <= 12):
            continue
        header.body_start = i
        return header
    header.body_start = len(paras) if in_title else i
    return header


def _addressee(text: str) -> bool:
    """A line of a "Kính gửi:" block written without a bullet: "Các phòng, đơn vị thuộc Sở"."""
    return len(text.split()) <= 14 and (starts_with_unit(text) or fold(text).startswith(("dong chi", "ong ", "ba ")))


def _valid_date(y: int | None, m: int | None, d: int | None) -> date | None:
    try:
        return date(y, m, d) if y and m and d else None
    except ValueError:
        return None


def closing_start(paras: list[Para], start: int) -> int:
    """Where the closing begins ("Trên đây …", "Nơi nhận:", the signature, a last "… nghiêm túc
    thực hiện./." that asks everyone and no one, or after "./.")."""
    for i in range(start, len(paras)):
        key = fold(paras[i].text)
        if _CLOSING.match(key) or (_AUTHORITY.match(key) and is_caps(paras[i].text)) or _asks_everyone(key):
            return i
        if not paras[i].kind and _CLOSING_SENTENCE.search(key):
            return i
        if paras[i].text.rstrip("* ").endswith("./."):
            return i + 1
    return len(paras)


def _asks_everyone(key: str) -> bool:
    """A last sentence asking every body addressed to carry it out ("Yêu cầu Thủ trưởng các sở,
    ngành … nghiêm túc thực hiện Chỉ thị này./."): no task of its own."""
    return bool(_ASKS_EVERYONE.search(key) and _EVERYONE.search(key) and not re.search(r"\d/\d", key))


def read_signer(closing: list[Para]) -> str | None:
    """The name under the signature, also when it ran into the line before it."""
    for para in reversed(closing):
        name = signer_name(para.text)
        if name:
            return name
    for para in reversed(closing):  # a signature run into the line before it
        words = para.text.split()
        for size in (3, 4, 2, 5):
            name = signer_name(" ".join(words[-size:])) if len(words) > size else None
            if name:
                return name
    return None


def read_meeting(paras: list[Para], fallback_year: int | None) -> tuple[date | None, int | None, int | None, str | None]:
    """(meeting day, week, year, chair) from the title and the opening paragraphs."""
    meeting_on = week = year = chair = None
    for para in paras:
        key = simple(para.text)
        if meeting_on is None and _MEETING_WORDS.search(key):
            meeting_on = _meeting_day(key)
        if week is None and (m := _WEEK.search(key)):
            week, year = int(m[1]), int(m[2]) if m[2] else None
            if year is None and (y := re.search(r"\bnam\s+(\d{4})", key[m.end():m.end() + 12])):
                year = int(y[1])
        if chair is None and "chu tri" in key:
            chair = _chair(para.text, key)
    year = year or (meeting_on.year if meeting_on else fallback_year)
    return meeting_on, week, year, chair


def _meeting_day(key: str) -> date | None:
    """The first full date in a paragraph about the meeting that is not a cited document's date
    ("Thực hiện Công văn số 1234/UBND-VX ngày 03/3/2025 …, ngày 28/3/2025 … chủ trì cuộc họp")."""
    for m in _FULL_DATE.finditer(key):
        if not cites_document(key[max(0, m.start() - 80):m.start()], key[m.end():m.end() + 60]):
            return _valid_date(int(m[3]), int(m[2]), int(m[1]))
    return None


def _chair(text: str, key: str) -> str | None:
    """The person who chaired: named just before "chủ trì", or after "chủ trì của"/"Chủ trì:"."""
    people = find_people(text)
    at = key.index("chu tri")
    after = [p for p in people if at < p[1] <= at + 20 and key[at:p[1]].strip() in ("chu tri cua", "chu tri:", "chu tri")]
    before = [p for p in people if p[2] <= at]
    if after:
        return after[0][0]
    return before[-1][0] if before else None
