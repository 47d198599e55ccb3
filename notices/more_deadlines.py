"""Deadlines written as named days, counted days and days of a quarter (docs/notices.md, "Deadlines").

- A named day: "trước Tết Nguyên đán", "chậm nhất Tết Dương lịch", "trước ngày Quốc khánh". The
  lunar ones (Tết Nguyên đán, Giỗ Tổ Hùng Vương) are taken from Vietnam's public holidays as the
  `holidays` package knows them (it keeps the lunar calendar); the solar ones are their fixed day.
  The first one on or after the document's day, or in the year written ("Tết Nguyên đán Bính Ngọ
  2026"). A named day the reader cannot place ("trước Tết Trung thu") is not guessed: it is
  flagged for review.
- Counted days: "trong 05 ngày làm việc kể từ ngày 24/11/2025", "sau 10 ngày": from the date
  written, or from the document's day when counted from its signing or receipt or from nothing;
  working days skip weekends and public holidays (`tasks.calendar`). Counted from an event the
  reader cannot date ("kể từ ngày kết thúc thanh tra") it is flagged for review.
- A day of a quarter: "ngày 20 của tháng cuối quý" recurs every quarter; its next date follows
  the quarters of `tasks.planner.periods`, the rule reminders are planned by.
- Words that set a time the reader cannot date ("cuối kỳ", "sau khi …", "khi có yêu cầu") are
  flagged for review, never dropped.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

import holidays

from notices.dates import DATE, Scan, day_parts, resolve, safe_date
from notices.model import Deadline
from tasks.calendar import Calendar
from tasks.planner import periods
from tasks.text import fold

_CAN_CHI = (r"(?:giap|at|binh|dinh|mau|ky|canh|tan|nham|quy)\s+"
            r"(?:ty|suu|dan|mao|thin|ngo|mui|than|dau|tuat|hoi)")
NAMED = re.compile(
    r"(?P<cue>truoc|cham\s+nhat(?:\s+la)?(?:\s+truoc)?|han\s+chot(?:\s+la)?|den|vao)\s+(?:(?:ngay|dip|le)\s+)*"
    r"(?P<day>tet\s+duong\s+lich|tet\s+nguyen\s+dan|tet\s+am\s+lich|tet\s+co\s+truyen|tet\s+trung\s+thu"
    r"|tet\s+doan\s+ngo|tet\s+thanh\s+minh|tet|gio\s+to\s+hung\s+vuong|quoc\s+khanh|chien\s+thang"
    r"|giai\s+phong\s+mien\s+nam|quoc\s+te\s+lao\s+dong|trung\s+thu|ram\s+thang\s+gieng|giang\s+sinh|noel)"
    rf"(?:\s+{_CAN_CHI})?(?:\s+(?:nam\s+)?(?P<y>\d{{4}}))?(?![a-z\d])"
)
# Days fixed on the solar calendar, and the lunar ones by their name among Vietnam's public holidays.
_SOLAR = {"tet duong lich": (1, 1), "quoc khanh": (9, 2), "chien thang": (4, 30), "giai phong mien nam": (4, 30),
          "quoc te lao dong": (5, 1), "giang sinh": (12, 25), "noel": (12, 25)}
_LUNAR = {"tet nguyen dan": "tet nguyen dan", "tet am lich": "tet nguyen dan", "tet co truyen": "tet nguyen dan",
          "tet": "tet nguyen dan", "gio to hung vuong": "ngay gio to hung vuong"}
COUNTED = re.compile(
    r"(?P<cue>trong(?:\s+vong)?|sau|cham\s+nhat(?:\s+(?:la|sau))?|khong\s+qua)\s+(?P<n>\d{1,3})\s+ngay"
    r"(?P<work>\s+lam\s+viec)?(?:\s*,?\s*(?:ke\s+tu|tinh\s+tu|sau\s+khi|ke\s+tu\s+khi)\s+(?P<base>[^,.;()]{1,80}))?"
)
_BASE_DATE = re.compile(rf"^{DATE}")
_BASE_DOCUMENT = re.compile(r"^(?:ngay\s+)?(?:ky|ban\s+hanh|nhan\s+duoc|phat\s+hanh|thong\s+bao)\b")
QUARTER_DAY = re.compile(
    r"(?:(?:truoc|cham\s+nhat|vao)\s+)?ngay\s+(?P<day>\d{1,2})\s+(?:cua\s+)?thang\s+(?P<which>dau|giua|cuoi)"
    r"\s+(?:cua\s+)?(?:moi\s+|hang\s+|cac\s+)?quy(?![a-z])"
)
VAGUE = re.compile(
    r"(?:(?:vao|den|truoc|trong)\s+)?(?:cuoi|dau)\s+ky(?![a-z])|sau\s+khi\s+[^,.;]{1,60}"
    r"|(?:truoc|den|cham\s+nhat)\s+khi\s+[^,.;]{1,60}|khi\s+co\s+yeu\s+cau"
)
_MONTH_OF_QUARTER = {"dau": 0, "giua": 1, "cuoi": 2}


@lru_cache(maxsize=32)
def _lunar_days(year: int) -> dict[str, date]:
    """The first day of each named public holiday of `year` (folded name -> day)."""
    days: dict[str, date] = {}
    for day, name in sorted(holidays.country_holidays("VN", years=year, language="vi").items()):
        days.setdefault(fold(name), day)
    return days


def _named_day(key: str, year: int) -> date | None:
    if key in _SOLAR:
        return safe_date(year, *_SOLAR[key])
    return _lunar_days(year).get(_LUNAR[key]) if key in _LUNAR else None


def named(scan: Scan, match: re.Match) -> Deadline | None:
    key = " ".join(match["day"].split())
    placed = key in _SOLAR or key in _LUNAR
    day = None
    if placed and match["y"]:
        day = _named_day(key, int(match["y"]))
    elif placed and scan.ref:
        day = next((d for y in (scan.ref.year, scan.ref.year + 1) if (d := _named_day(key, y)) and d >= scan.ref),
                   None)
    if day is None:
        scan.unread.append(scan.raw(match))
        return None
    return Deadline(scan.raw(match), "before" if match["cue"] == "truoc" else "on", day)


def counted(scan: Scan, match: re.Match) -> Deadline | None:
    base = (match["base"] or "").strip()
    if found := _BASE_DATE.match(base):
        start = resolve(day_parts(found.group()), scan.ref)
        raw_end = match.start("base") + found.end()
    elif not base or _BASE_DOCUMENT.match(base):
        start, raw_end = scan.ref, match.end()
    else:
        scan.unread.append(scan.raw(match))  # from an event the reader cannot date
        return None
    if start is None:
        return None
    count = int(match["n"])
    if match["work"]:
        calendar, day = Calendar(), start
        for _ in range(count):
            day = calendar.next_working_day(day)
    else:
        day = start + timedelta(days=count)
    return Deadline(scan.phrase(match.start(), raw_end), "on", day)


def quarter_day(scan: Scan, match: re.Match) -> Deadline | None:
    """"ngày 20 của tháng cuối quý": every quarter, the next such day on or after the document's."""
    nxt = None
    if scan.ref:
        for start, _ in periods(3, scan.ref):
            month = start.month + _MONTH_OF_QUARTER[match["which"]]
            day = safe_date(start.year, month, int(match["day"]))
            if day is None or start.year > scan.ref.year + 1:
                break
            if day >= scan.ref:
                nxt = day
                break
    return Deadline(scan.raw(match), "recurring", nxt, every="quarter")


def vague(scan: Scan, match: re.Match) -> None:
    """Words that set a time the reader cannot date: flagged, never a deadline."""
    scan.unread.append(scan.raw(match))
