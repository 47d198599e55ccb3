"""Deadlines in a task's words: "trước ngày 30/6/2025", "lúc 13h30 ngày 18/02", "quý II/2025" …

Every rule is a regular expression over the `simple` view of the text (lower case, no
diacritics: "truoc ngay 30/6/2025"), so text typed without diacritics reads the same; the raw
phrase is sliced from the text as written. Where rules overlap, the match that starts first
and then the longest wins. What looks like a deadline but is not one is dropped here:

- a date that identifies a document ("Chỉ thị số 38-CT/TW ngày 30/7/2024", "Kế hoạch ngày
  25/02/2025 của UBND tỉnh");
- a bare date before the meeting (it reports on the past: "Hội nghị ngày 10/02/2025");
- a month, quarter or half-year that names what a report covers ("báo cáo quý I/2025",
  "kết quả 6 tháng đầu năm"): without a cue word ("trong", "đầu", "trước" …) one counts only
  right after a verb of completion ("hoàn thành tháng 3/2025") or alone.

A date without a year is the first such date on or after the meeting; "trong tuần" runs from
the meeting to that week's Friday, "trong tuần tới" is the next Monday to Friday.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta, timezone

from notices.model import Deadline
from notices.text import clean_line, strip_emphasis
from tasks.deadlines import due_at
from tasks.text import lower, simple

# --- Building blocks (over the simple view) ---------------------------------------------------
_Y = r"(?:\d{4}|\d{2})"
_NUM_DATE = (
    rf"(?<![\d/.,])\d{{1,2}}(?:\s?/\s?\d{{1,2}}(?:\s?/\s?{_Y})?|-\d{{1,2}}(?:-{_Y})?|\.\d{{1,2}}\.\d{{4}})"
    r"(?![\d/]|[.-]\d)"
)
_LONG_DATE = r"(?<!\d)\d{1,2}\s+thang\s+\d{1,2}(?:\s*,?\s*nam\s+\d{4})?(?!\s*/|\d)"
_WEEKDAY = r"(?:thu\s+(?:hai|ba|tu|nam|sau|bay|[2-7])|chu\s+nhat)"
_DATE = rf"(?:(?:ngay\s+)?{_WEEKDAY}\s*,?\s*)?(?:ngay\s+)?(?:{_LONG_DATE}|{_NUM_DATE})"
_TIME = (
    r"(?<![\d/.,])(?:[01]?\d|2[0-3])(?:\s?(?:h|gio|g)(?:\s?[0-5]\d)?|:[0-5]\d)(?:\s?(?:'|phut)|p)?"
    r"(?![a-z\d])(?:\s+(?:sang|trua|chieu|toi))?"
)
_MOMENT = (
    rf"(?:{_TIME}\s*\)?\s*,?\s*(?:{_WEEKDAY}\s*,?\s*)?{_DATE}"
    rf"|{_DATE}(?:\s*,?\s*(?:(?:vao\s+)?luc\s+)?{_TIME}|\s*\(\s*{_TIME}\s*\))?)"
)
_CUE_ON = (
    r"truoc\s+hoac\s+trong\s+ngay|(?:ngay\s+)?trong\s+ngay|cham\s+nhat(?:\s+(?:la|vao|trong))?(?:\s+ngay)?"
    r"|han\s+chot(?:\s+la)?|(?:thoi\s+)?han(?:\s+hoan\s+thanh)?\s*:|thoi\s+gian(?:\s+hoan\s+thanh)?\s*:"
    r"|den\s+het(?:\s+ngay)?|den\s+ngay|khong\s+muon\s+hon"
)
_CUE_BEFORE = r"truoc(?:\s+luc)?"
_CUE_MEETING = r"(?:vao\s+)?luc"
_POINT = re.compile(
    rf"(?:(?:(?P<on>{_CUE_ON})|(?P<before>{_CUE_BEFORE})|(?P<meeting>{_CUE_MEETING})|vao)\s*)?(?P<moment>{_MOMENT})"
)
# "trước ngày 20": a day of the month alone needs a cue.
_DAY_ONLY = re.compile(
    rf"(?:(?P<on>{_CUE_ON})|(?P<before>{_CUE_BEFORE}))\s*ngay\s+(?P<day>\d{{1,2}})(?![\d/.-]|\s*thang|\s+(?:hang|moi))"
)
_RANGE_START = rf"(?:{_LONG_DATE}|{_NUM_DATE}|\d{{1,2}}(?![\d/.-]))"
_RANGE = re.compile(
    rf"(?:trong\s+)?(?:khoang\s+)?(?:thoi\s+gian\s+)?"
    rf"(?:tu\s+(?:ngay\s+)?(?P<a>{_RANGE_START})\s*(?:-|den(?:\s+het)?(?:\s+ngay)?)\s*"
    rf"|(?:(?:cac\s+)?ngay\s+)?(?P<a2>{_NUM_DATE}|(?<![\d/.,])\d{{1,2}}(?=\s*-\s*\d{{1,2}}\s?/))\s*-\s*)(?P<b>{_DATE})"
)
_FROM_NOW = re.compile(rf"tu\s+(?:nay|bay\s+gio)\s+den(?:\s+het)?\s*(?P<b>{_DATE})")
_MONTH = r"thang\s+(?P<m>\d{1,2})(?:\s*(?:/|-|,?\s*nam)\s*(?P<y>\d{4}))?(?![\d/])"
_PERIOD_CUE = r"(?:(?P<cue>(?:ngay\s+)?trong(?:\s+vong)?|truoc|vao)\s+)?(?:(?P<part>dau|giua|cuoi)\s+)?"
_MONTH_PERIOD = re.compile(rf"{_PERIOD_CUE}{_MONTH}")
_THIS_MONTH = re.compile(
    r"(?:(?:(?P<cue>trong|vao)\s+)?(?P<part>dau|giua|cuoi)|trong)\s+thang(?:\s+(?P<which>nay|sau|toi))?(?![\s\d]*\d)"
)
_MONTH_RANGE = re.compile(  # "từ tháng 3 đến tháng 5/2025" (the end's groups are "em", "ey")
    r"tu\s+thang\s+(?P<m1>\d{1,2})(?:\s*/\s*(?P<y1>\d{4}))?\s*(?:-|den(?:\s+het)?)\s*" + _MONTH.replace("?P<", "?P<e")
)
_QUARTER = re.compile(
    rf"{_PERIOD_CUE}quy\s+(?P<q>iv|i{{1,3}}|[1-4])(?:\s*(?:/|-|,?\s*nam)\s*(?P<y>\d{{4}}))?(?![a-z\d])"
)
_HALF = re.compile(
    r"(?:(?P<cue>trong)\s+)?(?P<n>6|sau|9|chin)\s+thang\s+(?P<half>dau|cuoi)\s+nam(?:\s+(?P<y>\d{4}))?(?!\d)"
)
_WEEK = re.compile(r"trong\s+tuan(?:\s+(?P<which>nay|toi|sau))?(?![a-z\d])")
_YEAR = re.compile(r"(?P<cue>trong|cuoi|truoc)\s+nam\s+(?P<y>\d{4})(?!\d)")
_RECURRING = re.compile(
    rf"(?:(?:truoc|cham\s+nhat|vao)\s+)?(?:ngay\s+(?P<day>\d{{1,2}})\s+|(?P<weekday>{_WEEKDAY})\s+)?"
    r"(?:dinh\s+ky\s+)?(?:hang|moi)\s+(?P<unit>ngay|tuan|thang|quy|nam)(?![a-z])"
    r"|dinh\s+ky\s+(?P<months>\d{1,2})\s+thang"
)

_TIME_RE = re.compile(_TIME)
_TIME_PARTS = re.compile(r"(\d{1,2})\s?(?:h|gio|g|:)(?:\s?(\d{2}))?(?:\s?(?:'|phut|p))?(?:\s+(sang|trua|chieu|toi))?")
_DATE_PARTS = re.compile(
    r"(?P<d>\d{1,2})(?:\s+thang\s+|\s?[/.-]\s?)(?P<m>\d{1,2})(?:\s*,?\s*(?:nam\s+|[/.-]\s?)(?P<y>\d{4}|\d{2}))?"
)
_MEETING_WORDS = re.compile(r"họp|hội nghị|hội thảo|tọa đàm|làm việc với|buổi làm việc|phiên")
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
_COMPLETION_VERB = re.compile(
    r"(?:hoan thanh|hoan thien|xong|trinh|ban hanh|to chuc|thuc hien|trien khai|gui|nop|ket thuc|khanh thanh"
    r"|dua vao su dung|bao cao ve so|bao cao giam doc so|(?:thoi\s+)?han(?:\s+hoan\s+thanh)?\s*:"
    r"|thoi\s+gian(?:\s+hoan\s+thanh|\s+thuc\s+hien)?\s*:)\s*,?\s*$"
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_EVERY = {"ngay": "day", "tuan": "week", "thang": "month", "quy": "quarter", "nam": "year"}
_WEEKDAYS = {"hai": 0, "2": 0, "ba": 1, "3": 1, "tu": 2, "4": 2, "nam": 3, "5": 3, "sau": 4, "6": 4,
             "bay": 5, "7": 5, "nhat": 6}


# How far before a phrase the rules look for the words that qualify it.
WINDOW = 80


@dataclass
class _Scan:
    """One text being read: the text, its views, and the day that year-less dates follow."""

    text: str
    simple: str
    ref: date | None

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
def _year(y: str | None) -> int | None:
    if not y:
        return None
    return 2000 + int(y) if len(y) == 2 else int(y)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _on_or_after(ref: date | None, m: int, d: int) -> date | None:
    """The first day d/m on or after `ref` (a year-less date)."""
    if ref is None:
        return None
    for years_ahead in range(5):  # 29/2 waits for a leap year
        day = _safe_date(ref.year + years_ahead, m, d)
        if day and day >= ref:
            return day
    return None


def _day_parts(text: str) -> tuple[int, int | None, int | None] | None:
    """(day, month, year) of the first date written in `text` (simple view)."""
    match = _DATE_PARTS.search(text)
    if match:
        return int(match["d"]), int(match["m"]), _year(match["y"])
    return None


def _resolve(parts: tuple[int, int | None, int | None] | None, ref: date | None) -> date | None:
    if parts is None or parts[1] is None:
        return None
    d, m, y = parts
    return _safe_date(y, m, d) if y else _on_or_after(ref, m, d)


def _clock(text: str) -> str | None:
    """'13h30' / '7 giờ 30’' / '2 giờ chiều' -> 'HH:MM'."""
    match = _TIME_PARTS.search(text)
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if match[3] in ("chieu", "toi") and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _span(first: date, last: date, part: str | None) -> tuple[date, date]:
    """A month's first third (đầu), middle (giữa), last (cuối: 21 to the end) or whole."""
    if part == "dau":
        return first, first.replace(day=10)
    if part == "giua":
        return first.replace(day=11), first.replace(day=20)
    if part == "cuoi":
        return first.replace(day=21), last
    return first, last


def _months(y: int | None, m_first: int, m_last: int, ref: date | None) -> tuple[date, date] | None:
    """The months m_first..m_last of year y, or without a year the first such span not yet over."""
    if not (1 <= m_first <= 12 and 1 <= m_last <= 12):
        return None
    if y is None:
        if ref is None:
            return None
        y = ref.year if _last_day(ref.year, m_last) >= ref else ref.year + 1
    return date(y, m_first, 1), _last_day(y, m_last)


def _next_day_of_month(ref: date, d: int) -> date | None:
    """The first day numbered d on or after `ref` ("trước ngày 20", "ngày 25 hằng tháng")."""
    for months_ahead in range(3):
        y, m = divmod(ref.month - 1 + months_ahead, 12)
        day = _safe_date(ref.year + y, m + 1, d)
        if day and day >= ref:
            return day
    return None


# --- Rules: each turns a match into a Deadline, or None when it is not one -------------------
def _point(scan: _Scan, match: re.Match) -> Deadline | None:
    moment = match["moment"]
    cue = "on" if match["on"] else "before" if match["before"] else "meeting" if match["meeting"] else None
    start = match.start()
    if cue == "meeting":
        written = lower(scan.text[match.start("meeting"):match.end("meeting")]).split()[-1]
        if written not in ("lúc", "luc"):  # "nguồn lực ngày …" is not "lúc"
            cue, start = None, match.start("moment")
    day = _resolve(_day_parts(_TIME_RE.sub(" ", moment)), scan.ref)
    if day is None:
        return None
    clock = _clock(moment) if _TIME_RE.search(moment) else None
    if cue is None:
        if cites_document(scan.simple[max(0, start - WINDOW):start], scan.simple[match.end():match.end() + 60]):
            return None
        if scan.ref and day < scan.ref:
            return None
        context = lower(scan.text[max(0, start - 80):start])
        in_brackets = "(" in moment or scan.text[start - 1:start] == "("
        cue = "meeting" if (in_brackets and clock) or _MEETING_WORDS.search(context) else "on"
    if scan.text[start - 1:start] == "(":  # "(8h30) ngày …"
        start -= 1
    return Deadline(scan.phrase(start, match.end()), cue, day, clock)


def _day_only(scan: _Scan, match: re.Match) -> Deadline | None:
    day = _next_day_of_month(scan.ref, int(match["day"])) if scan.ref else None
    return Deadline(scan.raw(match), "on" if match["on"] else "before", day) if day else None


def _range(scan: _Scan, match: re.Match) -> Deadline | None:
    end = _resolve(_day_parts(match["b"]), scan.ref)
    first = match["a"] or match["a2"]
    if end is None:
        return None
    parts = _day_parts(first)
    if parts is None:  # "từ ngày 10 đến 15/3/2025"
        start = _safe_date(end.year, end.month, int(first))
        if start and start > end:
            start = _safe_date(end.year - (end.month == 1), (end.month - 2) % 12 + 1, int(first))
    else:
        d, m, y = parts
        start = _safe_date(y or end.year, m, d)
        if start and not y and start > end:
            start = _safe_date(end.year - 1, m, d)
    if start is None or start > end:
        return None
    return Deadline(scan.raw(match), "period", end, None, start)


def _from_now(scan: _Scan, match: re.Match) -> Deadline | None:
    end = _resolve(_day_parts(match["b"]), scan.ref)
    if end is None or scan.ref is None or end < scan.ref:
        return None
    return Deadline(scan.raw(match), "period", end, None, scan.ref)


def _bare_ok(scan: _Scan, match: re.Match, cue: str | None) -> bool:
    """A period without a cue word counts alone or right after a verb of completion."""
    return bool(cue) or scan.alone(match) or bool(_COMPLETION_VERB.search(scan.before(match)))


def _period(raw: str, span: tuple[date, date] | None, before: bool) -> Deadline | None:
    if span is None:
        return None
    if before:  # "trước tháng 3/2025": before the period begins
        return Deadline(raw, "before", span[0])
    return Deadline(raw, "period", span[1], None, span[0])


def _month(scan: _Scan, match: re.Match) -> Deadline | None:
    cue, part = match["cue"], match["part"]
    if not _bare_ok(scan, match, cue or part):
        return None
    span = _months(_year(match["y"]), int(match["m"]), int(match["m"]), scan.ref)
    if span and part:
        span = _span(*span, part)
    return _period(scan.raw(match), span, cue == "truoc")


def _this_month(scan: _Scan, match: re.Match) -> Deadline | None:
    """"trong tháng", "cuối tháng", "tháng sau": the meeting's month or the next."""
    if scan.ref is None:
        return None
    y, m = scan.ref.year, scan.ref.month
    if match["which"] in ("sau", "toi"):
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    first, last = date(y, m, 1), _last_day(y, m)
    return _period(scan.raw(match), _span(first, last, match["part"]), False)


def _month_range(scan: _Scan, match: re.Match) -> Deadline | None:
    y = _year(match["ey"]) or _year(match["y1"])
    span = _months(y, int(match["m1"]), int(match["em"]), scan.ref)
    return _period(scan.raw(match), span, False)


def _quarter(scan: _Scan, match: re.Match) -> Deadline | None:
    cue, part = match["cue"], match["part"]
    if not _bare_ok(scan, match, cue or part):
        return None
    q = _ROMAN.get(match["q"]) or int(match["q"])
    first_month = 3 * q - 2
    if part:  # đầu / giữa / cuối quý: its first, middle or last month
        month = first_month + {"dau": 0, "giua": 1, "cuoi": 2}[part]
        span = _months(_year(match["y"]), month, month, scan.ref)
    else:
        span = _months(_year(match["y"]), first_month, first_month + 2, scan.ref)
    return _period(scan.raw(match), span, cue == "truoc")


def _half(scan: _Scan, match: re.Match) -> Deadline | None:
    if not _bare_ok(scan, match, match["cue"]):
        return None
    months = 9 if match["n"] in ("9", "chin") else 6
    if match["half"] == "dau":
        span = _months(_year(match["y"]), 1, months, scan.ref)
    else:
        span = _months(_year(match["y"]), 13 - months, 12, scan.ref)
    return _period(scan.raw(match), span, False)


def _week(scan: _Scan, match: re.Match) -> Deadline | None:
    """"trong tuần": from the meeting to that week's Friday; "trong tuần tới": next Monday to Friday."""
    if scan.ref is None:
        return None
    friday = scan.ref + timedelta(days=(4 - scan.ref.weekday()) % 7)
    if match["which"] in ("toi", "sau"):
        monday = scan.ref + timedelta(days=7 - scan.ref.weekday())
        return Deadline(scan.raw(match), "period", monday + timedelta(days=4), None, monday)
    return Deadline(scan.raw(match), "period", friday, None, scan.ref)


def _year_period(scan: _Scan, match: re.Match) -> Deadline | None:
    y = int(match["y"])
    if match["cue"] == "truoc":
        return Deadline(scan.raw(match), "before", date(y, 1, 1))
    first = date(y, 12, 1) if match["cue"] == "cuoi" else date(y, 1, 1)
    return Deadline(scan.raw(match), "period", date(y, 12, 31), None, first)


def _recurring(scan: _Scan, match: re.Match) -> Deadline | None:
    if match["months"]:
        every = {"3": "quarter", "6": "half-year", "12": "year", "1": "month"}.get(match["months"])
        return Deadline(scan.raw(match), "recurring", None, every=every or "month")
    every = _EVERY[match["unit"]]
    nxt = None
    if match["day"] and every == "month" and scan.ref:
        nxt = _next_day_of_month(scan.ref, int(match["day"]))
    elif match["weekday"] and every == "week" and scan.ref:
        target = _WEEKDAYS[match["weekday"].split()[-1]]
        nxt = scan.ref + timedelta(days=(target - scan.ref.weekday()) % 7)
    return Deadline(scan.raw(match), "recurring", nxt, every=every)


# Each rule, with words one of which its matches always hold (a cheap test before the regex).
_RULES: tuple[tuple[re.Pattern, Callable[[_Scan, re.Match], Deadline | None], tuple[str, ...]], ...] = (
    (_RECURRING, _recurring, ("hang ", "moi ", "dinh ky")),
    (_RANGE, _range, ("-", "tu ")),
    (_FROM_NOW, _from_now, ("tu nay", "tu bay")),
    (_MONTH_RANGE, _month_range, ("tu thang",)),
    (_POINT, _point, ("/", "-", ".", "thang")),
    (_DAY_ONLY, _day_only, ("ngay",)),
    (_MONTH_PERIOD, _month, ("thang",)),
    (_THIS_MONTH, _this_month, ("thang",)),
    (_QUARTER, _quarter, ("quy",)),
    (_HALF, _half, ("thang dau nam", "thang cuoi nam")),
    (_WEEK, _week, ("trong tuan",)),
    (_YEAR, _year_period, ("nam",)),
)


def find_deadlines(text: str, meeting_on: date | None) -> list[Deadline]:
    """Every deadline in a cleaned text (see `notices.text.clean_line`), in reading order."""
    scan = _Scan(text, simple(text), meeting_on)
    found = []
    for order, (pattern, rule, words) in enumerate(_RULES):
        if not any(word in scan.simple for word in words):
            continue
        for match in pattern.finditer(scan.simple):
            if match.start() and scan.simple[match.start() - 1].isalnum():
                continue  # inside a word: "than:" is not "hạn:"
            if match.end() > match.start():
                found.append((match.start(), -match.end(), order, match, rule))
    found.sort(key=lambda item: item[:3])
    deadlines, taken_until = [], -1
    for start, negative_end, _, match, rule in found:
        if start < taken_until:
            continue
        taken_until = -negative_end
        deadline = rule(scan, match)
        if deadline is not None:
            deadlines.append(deadline)
    return deadlines


def final_deadline(found: list[Deadline]) -> Deadline:
    """Of the deadlines a task sets, the one that ends it: the last in time (of two on the same
    moment, the one written last); "every week" only when no day is written."""
    dated = [d for d in found if d.date and d.kind != "recurring"]
    if not dated:
        return found[-1]
    return max(reversed(dated), key=lambda d: due_at(d.kind, d.date, d.time, timezone.utc, end_of_day=time.max))


def parse_deadline(phrase_or_sentence: str, meeting_on: date | None) -> Deadline | None:
    """The deadline a phrase or sentence sets (see `final_deadline` when it sets several), or None."""
    found = find_deadlines(strip_emphasis(clean_line(phrase_or_sentence)), meeting_on)
    return final_deadline(found) if found else None
