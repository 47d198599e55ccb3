"""Dates and times as notices write them, over the `simple` view of a text (lower case, no
diacritics): the building blocks of the deadline rules (`notices.deadlines`, `notices.more_deadlines`),
the text being read (`Scan`), and the days they stand for.

A date without a year is the first such date on or after the meeting (or the document's date).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

YEAR = r"(?:\d{4}|\d{2})"
# "15.11" without a year only after "ngày": elsewhere it is a number.
NUM_DATE = (
    rf"(?<![\d/.,])\d{{1,2}}(?:\s?/\s?\d{{1,2}}(?:\s?/\s?{YEAR})?|-\d{{1,2}}(?:-{YEAR})?|\.\d{{1,2}}\.\d{{4}}"
    r"|(?<=ngay \d)\.\d{1,2}|(?<=ngay \d\d)\.\d{1,2})"
    r"(?![\d/]|[.-]\d)"
)
LONG_DATE = r"(?<!\d)\d{1,2}\s+thang\s+\d{1,2}(?:\s*,?\s*nam\s+\d{4})?(?!\s*/|\d)"
WEEKDAY = r"(?:thu\s+(?:hai|ba|tu|nam|sau|bay|[2-7])|chu\s+nhat)"
DATE = rf"(?:(?:ngay\s+)?{WEEKDAY}\s*,?\s*)?(?:ngay\s+)?(?:{LONG_DATE}|{NUM_DATE})"
TIME = (
    r"(?<![\d/.,])(?:[01]?\d|2[0-3])(?:\s?(?:h|gio|g)(?:\s?[0-5]\d)?|:[0-5]\d)(?:\s?(?:'|phut)|p)?"
    r"(?![a-z\d])(?:\s+(?:sang|trua|chieu|toi))?"
)

TIME_RE = re.compile(TIME)
TIME_PARTS = re.compile(r"(\d{1,2})\s?(?:h|gio|g|:)(?:\s?(\d{2}))?(?:\s?(?:'|phut|p))?(?:\s+(sang|trua|chieu|toi))?")
DATE_PARTS = re.compile(
    r"(?P<d>\d{1,2})(?:\s+thang\s+|\s?[/.-]\s?)(?P<m>\d{1,2})(?:\s*,?\s*(?:nam\s+|[/.-]\s?)(?P<y>\d{4}|\d{2}))?"
)

_DOCUMENT_BEFORE = re.compile(
    r"(?:\d+[a-z]?\s?[/-]\s?[a-z0-9&./-]*[a-z][a-z0-9&./-]*"
    r"|\b(?:chi thi|nghi quyet|quyet dinh|cong van|van ban|thong bao|ke hoach|bao cao|to trinh|thong tu"
    r"|nghi dinh|ket luan|de an|huong dan|chuong trinh|giay moi|luat|phap lenh|cong dien)(?:\s+so)?"
    r"|ban hanh|\bky)\s*,?\s*$"
)
_DOCUMENT_AFTER = re.compile(
    r"^\s*,?\s*cua\s+(?:ubnd|hdnd|bo\b|ban\b|chinh phu|thu tuong|tinh uy|so\b|uy ban|quoc hoi|dang uy"
    r"|hoi dong|bch|trung uong|van phong|thuong truc|giam doc)"
)

# How far before a phrase the rules look for the words that qualify it.
WINDOW = 80


@dataclass
class Scan:
    """One text being read: the text, its views, and the day that year-less dates follow."""

    text: str
    simple: str
    ref: date | None
    # Phrases that look like a deadline but could not be read (an impossible date, "cuối kỳ").
    unread: list[str] = field(default_factory=list)

    def __post_init__(self):
        # Where the words begin: a phrase starting there was given alone.
        self.opening = len(self.simple) - len(self.simple.lstrip(" ,;:-(\"'"))

    def raw(self, match: re.Match) -> str:
        return self.phrase(match.start(), match.end())

    def phrase(self, start: int, end: int) -> str:
        """The words at text[start:end] on one line, brackets paired: "(8h30) ngày 20/02" keeps its
        "(", "(7 giờ 30’, ngày 06/5" loses it."""
        raw = self.text[start:end]
        if raw.count("(") > raw.count(")"):
            raw = raw[1:] if raw.startswith("(") else raw + ")" * (self.text[end:end + 1] == ")")
        return " ".join(raw.split()).strip(" ,;:")

    def alone(self, match: re.Match) -> bool:
        """Nothing before the match but punctuation: the phrase itself was given."""
        return match.start() <= self.opening

    def before(self, match: re.Match) -> str:
        """The words just before a match (a window, so reading stays linear in the text)."""
        return self.simple[max(0, match.start() - WINDOW):match.start()]


def cites_document(before: str, after: str) -> bool:
    """Whether a date between `before` and `after` (simple view) is a document's date: "Chỉ thị
    số 38-CT/TW ngày 30/7/2024", "Kế hoạch ngày 25/02/2025 của UBND tỉnh"."""
    return bool(_DOCUMENT_BEFORE.search(before) or _DOCUMENT_AFTER.search(after))


# --- Days and times ---------------------------------------------------------------------------
def year_of(y: str | None) -> int | None:
    if not y:
        return None
    return 2000 + int(y) if len(y) == 2 else int(y)


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def on_or_after(ref: date | None, m: int, d: int) -> date | None:
    """The first day d/m on or after `ref` (a year-less date)."""
    if ref is None:
        return None
    for years_ahead in range(5):  # 29/2 waits for a leap year
        day = safe_date(ref.year + years_ahead, m, d)
        if day and day >= ref:
            return day
    return None


def day_parts(text: str) -> tuple[int, int | None, int | None] | None:
    """(day, month, year) of the first date written in `text` (simple view)."""
    match = DATE_PARTS.search(text)
    if match:
        return int(match["d"]), int(match["m"]), year_of(match["y"])
    return None


def resolve(parts: tuple[int, int | None, int | None] | None, ref: date | None) -> date | None:
    if parts is None or parts[1] is None:
        return None
    d, m, y = parts
    return safe_date(y, m, d) if y else on_or_after(ref, m, d)


def clock_of(text: str) -> str | None:
    """'13h30' / '7 giờ 30’' / '2 giờ chiều' -> 'HH:MM'."""
    match = TIME_PARTS.search(text)
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if match[3] in ("chieu", "toi") and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def month_part(first: date, last: date, part: str | None) -> tuple[date, date]:
    """A month's first third (đầu), middle (giữa), last (cuối: 21 to the end) or whole."""
    if part == "dau":
        return first, first.replace(day=10)
    if part == "giua":
        return first.replace(day=11), first.replace(day=20)
    if part == "cuoi":
        return first.replace(day=21), last
    return first, last


def month_span(y: int | None, m_first: int, m_last: int, ref: date | None) -> tuple[date, date] | None:
    """The months m_first..m_last of year y, or without a year the first such span not yet over."""
    if not (1 <= m_first <= 12 and 1 <= m_last <= 12):
        return None
    if y is None:
        if ref is None:
            return None
        y = ref.year if last_day(ref.year, m_last) >= ref else ref.year + 1
    return date(y, m_first, 1), last_day(y, m_last)


def next_day_of_month(ref: date, d: int) -> date | None:
    """The first day numbered d on or after `ref` ("trước ngày 20", "ngày 25 hằng tháng")."""
    for months_ahead in range(3):
        y, m = divmod(ref.month - 1 + months_ahead, 12)
        day = safe_date(ref.year + y, m + 1, d)
        if day and day >= ref:
            return day
    return None
