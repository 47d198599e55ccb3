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

import re
from collections.abc import Callable
from datetime import date, time, timedelta, timezone

from notices import more_deadlines as more
from notices.dates import (
    DATE,
    LONG_DATE,
    NUM_DATE,
    TIME,
    TIME_RE,
    WEEKDAY,
    Scan,
    cites_document,
    clock_of,
    day_parts,
    last_day,
    month_part,
    month_span,
    next_day_of_month,
    resolve,
    safe_date,
    year_of,
)
from notices.model import Deadline
from notices.text import clean_line, strip_emphasis
from tasks.deadlines import due_at
from tasks.text import lower, simple

# --- Building blocks (over the simple view) ---------------------------------------------------
_MOMENT = (
    rf"(?:{TIME}\s*\)?\s*,?\s*(?:{WEEKDAY}\s*,?\s*)?{DATE}"
    rf"|{DATE}(?:\s*,?\s*(?:(?:vao\s+)?luc\s+|(?:bat\s+dau\s+)?tu\s+)?{TIME}|\s*\(\s*{TIME}\s*\))?)"
)
_CUE_ON = (
    r"truoc\s+hoac\s+trong\s+ngay|(?:ngay\s+)?trong\s+ngay|cham\s+nhat(?:\s+(?:la|vao|trong))?(?:\s+ngay)?"
    r"|han\s+chot(?:\s+la)?|(?:thoi\s+)?han(?:\s+hoan\s+thanh)?\s*:|thoi\s+gian(?:\s+hoan\s+thanh)?\s*:"
    r"|den\s+het(?:\s+ngay)?|den\s+ngay|khong\s+muon\s+hon"
)
_CUE_BEFORE = r"truoc(?:\s+(?:luc|dip|le))?"
_CUE_MEETING = r"(?:vao\s+)?luc"
_POINT = re.compile(
    rf"(?:(?:(?P<on>{_CUE_ON})|(?P<before>{_CUE_BEFORE})|(?P<meeting>{_CUE_MEETING})|vao)\s*)?(?P<moment>{_MOMENT})"
)
# "trước ngày 20": a day of the month alone needs a cue.
_DAY_ONLY = re.compile(
    rf"(?:(?P<on>{_CUE_ON})|(?P<before>{_CUE_BEFORE}))\s*ngay\s+(?P<day>\d{{1,2}})(?![\d/.-]|\s*thang|\s+(?:hang|moi))"
)
_RANGE_START = rf"(?:{LONG_DATE}|{NUM_DATE}|\d{{1,2}}(?![\d/.-]))"
_RANGE = re.compile(
    rf"(?:trong\s+)?(?:khoang\s+)?(?:thoi\s+gian\s+)?"
    rf"(?:tu\s+(?:ngay\s+)?(?P<a>{_RANGE_START})\s*(?:-|den(?:\s+het)?(?:\s+ngay)?)\s*"
    rf"|(?:(?:cac\s+)?ngay\s+)?(?P<a2>{NUM_DATE}|(?<![\d/.,])\d{{1,2}}(?=\s*-\s*\d{{1,2}}\s?/))\s*-\s*)(?P<b>{DATE})"
)
_FROM_NOW = re.compile(rf"tu\s+(?:nay|bay\s+gio)\s+den(?:\s+het)?\s*(?P<b>{DATE})")
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
    rf"(?:(?:truoc|cham\s+nhat|vao)\s+)?(?:ngay\s+(?P<day>\d{{1,2}})\s+|(?P<weekday>{WEEKDAY})\s+)?"
    r"(?:dinh\s+ky\s+)?(?:hang|moi)\s+(?P<unit>ngay|tuan|thang|quy|nam)(?![a-z])"
    r"|dinh\s+ky\s+(?P<months>\d{1,2})\s+thang"
)

_MEETING_WORDS = re.compile(r"họp|hội nghị|hội thảo|tọa đàm|làm việc với|buổi làm việc|phiên")
_COMPLETION_VERB = re.compile(
    r"(?:hoan thanh|hoan thien|xong|trinh|ban hanh|to chuc|thuc hien|trien khai|gui|nop|ket thuc|khanh thanh"
    r"|dua vao su dung|bao cao ve so|bao cao giam doc so|(?:thoi\s+)?han(?:\s+hoan\s+thanh)?\s*:"
    r"|thoi\s+gian(?:\s+hoan\s+thanh|\s+thuc\s+hien)?\s*:)\s*,?\s*$"
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_EVERY = {"ngay": "day", "tuan": "week", "thang": "month", "quy": "quarter", "nam": "year"}
_WEEKDAYS = {"hai": 0, "2": 0, "ba": 1, "3": 1, "tu": 2, "4": 2, "nam": 3, "5": 3, "sau": 4, "6": 4,
             "bay": 5, "7": 5, "nhat": 6}


# --- Rules: each turns a match into a Deadline, or None when it is not one -------------------
def _point(scan: Scan, match: re.Match) -> Deadline | None:
    moment = match["moment"]
    cue = "on" if match["on"] else "before" if match["before"] else "meeting" if match["meeting"] else None
    start = match.start()
    if cue == "meeting":
        written = lower(scan.text[match.start("meeting"):match.end("meeting")]).split()[-1]
        if written not in ("lúc", "luc"):  # "nguồn lực ngày …" is not "lúc"
            cue, start = None, match.start("moment")
    parts = day_parts(TIME_RE.sub(" ", moment))
    day = resolve(parts, scan.ref)
    if day is None:
        if parts and parts[1] and (cue or scan.ref):  # "trước ngày 30/02": no such day
            scan.unread.append(scan.phrase(start, match.end()))
        return None
    clock = clock_of(moment) if TIME_RE.search(moment) else None
    if cue is None:
        if cites_document(scan.simple[max(0, start - 80):start], scan.simple[match.end():match.end() + 60]):
            return None
        if scan.ref and day < scan.ref:
            return None
        context = lower(scan.text[max(0, start - 80):start])
        in_brackets = "(" in moment or scan.text[start - 1:start] == "("
        cue = "meeting" if (in_brackets and clock) or _MEETING_WORDS.search(context) else "on"
    if scan.text[start - 1:start] == "(":  # "(8h30) ngày …"
        start -= 1
    return Deadline(scan.phrase(start, match.end()), cue, day, clock)


def _day_only(scan: Scan, match: re.Match) -> Deadline | None:
    day = next_day_of_month(scan.ref, int(match["day"])) if scan.ref else None
    return Deadline(scan.raw(match), "on" if match["on"] else "before", day) if day else None


def _range(scan: Scan, match: re.Match) -> Deadline | None:
    end = resolve(day_parts(match["b"]), scan.ref)
    first = match["a"] or match["a2"]
    if end is None:
        return None
    parts = day_parts(first)
    if parts is None:  # "từ ngày 10 đến 15/3/2025"
        start = safe_date(end.year, end.month, int(first))
        if start and start > end:
            start = safe_date(end.year - (end.month == 1), (end.month - 2) % 12 + 1, int(first))
    else:
        d, m, y = parts
        start = safe_date(y or end.year, m, d)
        if start and not y and start > end:
            start = safe_date(end.year - 1, m, d)
    if start is None or start > end:
        return None
    return Deadline(scan.raw(match), "period", end, None, start)


def _from_now(scan: Scan, match: re.Match) -> Deadline | None:
    end = resolve(day_parts(match["b"]), scan.ref)
    if end is None or scan.ref is None or end < scan.ref:
        return None
    return Deadline(scan.raw(match), "period", end, None, scan.ref)


def _bare_ok(scan: Scan, match: re.Match, cue: str | None) -> bool:
    """A period without a cue word counts alone or right after a verb of completion."""
    return bool(cue) or scan.alone(match) or bool(_COMPLETION_VERB.search(scan.before(match)))


def _period(scan: Scan, raw: str, span: tuple[date, date] | None, before: bool) -> Deadline | None:
    """A period as a deadline; one already over on the document's day is a fact it reports on
    ("kết quả trong tháng 02/2025"), not a deadline."""
    if span is None or (scan.ref and (span[0] if before else span[1]) < scan.ref):
        return None
    if before:  # "trước tháng 3/2025": before the period begins
        return Deadline(raw, "before", span[0])
    return Deadline(raw, "period", span[1], None, span[0])


def _month(scan: Scan, match: re.Match) -> Deadline | None:
    cue, part = match["cue"], match["part"]
    if not _bare_ok(scan, match, cue or part):
        return None
    span = month_span(year_of(match["y"]), int(match["m"]), int(match["m"]), scan.ref)
    if span and part:
        span = month_part(*span, part)
    return _period(scan, scan.raw(match), span, cue == "truoc")


def _this_month(scan: Scan, match: re.Match) -> Deadline | None:
    """"trong tháng", "cuối tháng", "tháng sau": the meeting's month or the next."""
    if scan.ref is None:
        return None
    y, m = scan.ref.year, scan.ref.month
    if match["which"] in ("sau", "toi"):
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    first, last = date(y, m, 1), last_day(y, m)
    return _period(scan, scan.raw(match), month_part(first, last, match["part"]), False)


def _month_range(scan: Scan, match: re.Match) -> Deadline | None:
    y = year_of(match["ey"]) or year_of(match["y1"])
    span = month_span(y, int(match["m1"]), int(match["em"]), scan.ref)
    return _period(scan, scan.raw(match), span, False)


def _quarter(scan: Scan, match: re.Match) -> Deadline | None:
    cue, part = match["cue"], match["part"]
    if not _bare_ok(scan, match, cue or part):
        return None
    q = _ROMAN.get(match["q"]) or int(match["q"])
    first_month = 3 * q - 2
    if part:  # đầu / giữa / cuối quý: its first, middle or last month
        month = first_month + {"dau": 0, "giua": 1, "cuoi": 2}[part]
        span = month_span(year_of(match["y"]), month, month, scan.ref)
    else:
        span = month_span(year_of(match["y"]), first_month, first_month + 2, scan.ref)
    return _period(scan, scan.raw(match), span, cue == "truoc")


def _half(scan: Scan, match: re.Match) -> Deadline | None:
    if not _bare_ok(scan, match, match["cue"]):
        return None
    months = 9 if match["n"] in ("9", "chin") else 6
    if match["half"] == "dau":
        span = month_span(year_of(match["y"]), 1, months, scan.ref)
    else:
        span = month_span(year_of(match["y"]), 13 - months, 12, scan.ref)
    return _period(scan, scan.raw(match), span, False)


def _week(scan: Scan, match: re.Match) -> Deadline | None:
    """"trong tuần": from the meeting to that week's Friday; "trong tuần tới": next Monday to Friday."""
    if scan.ref is None:
        return None
    friday = scan.ref + timedelta(days=(4 - scan.ref.weekday()) % 7)
    if match["which"] in ("toi", "sau"):
        monday = scan.ref + timedelta(days=7 - scan.ref.weekday())
        return Deadline(scan.raw(match), "period", monday + timedelta(days=4), None, monday)
    return Deadline(scan.raw(match), "period", friday, None, scan.ref)


def _year_period(scan: Scan, match: re.Match) -> Deadline | None:
    y = int(match["y"])
    if match["cue"] == "truoc":
        return Deadline(scan.raw(match), "before", date(y, 1, 1))
    first = date(y, 12, 1) if match["cue"] == "cuoi" else date(y, 1, 1)
    return Deadline(scan.raw(match), "period", date(y, 12, 31), None, first)


def _recurring(scan: Scan, match: re.Match) -> Deadline | None:
    if match["months"]:
        every = {"3": "quarter", "6": "half-year", "12": "year", "1": "month"}.get(match["months"])
        return Deadline(scan.raw(match), "recurring", None, every=every or "month")
    every = _EVERY[match["unit"]]
    nxt = None
    if match["day"] and every == "month" and scan.ref:
        nxt = next_day_of_month(scan.ref, int(match["day"]))
    elif match["weekday"] and every == "week" and scan.ref:
        target = _WEEKDAYS[match["weekday"].split()[-1]]
        nxt = scan.ref + timedelta(days=(target - scan.ref.weekday()) % 7)
    return Deadline(scan.raw(match), "recurring", nxt, every=every)


# Each rule, with words one of which its matches always hold (a cheap test before the regex).
_RULES: tuple[tuple[re.Pattern, Callable[[Scan, re.Match], Deadline | None], tuple[str, ...]], ...] = (
    (more.QUARTER_DAY, more.quarter_day, ("quy",)),
    (more.NAMED, more.named, ("tet", "quoc khanh", "chien thang", "giai phong", "lao dong", "trung thu",
                              "ram thang", "giang sinh", "noel", "gio to")),
    (more.COUNTED, more.counted, (" ngay",)),
    (more.VAGUE, more.vague, (" ky", "khi")),
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
    return read_deadlines(text, meeting_on)[0]


def read_deadlines(text: str, meeting_on: date | None) -> tuple[list[Deadline], list[str]]:
    """Every deadline in a cleaned text, in reading order, and the phrases that look like one
    but could not be read (for review)."""
    scan = Scan(text, simple(text), meeting_on)
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
    return deadlines, list(dict.fromkeys(scan.unread))


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
