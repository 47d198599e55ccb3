"""Dates and deadlines as people say them: "13h30 hôm nay", "thứ Sáu 21/02", "quá hạn 3 ngày".

Pure functions shared by reminders, summaries and the conversation, so every message the bot
sends speaks about time the same way.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from tasks.calendar import week_span
from tasks.deadlines import due_at, last_day, overdue_days, parse_hhmm
from tasks.planner import ESCALATION, MEETING, OVERDUE, RECURRING

DEFAULT_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def say_time(t: time) -> str:
    """07:30 -> '7h30', 13:30 -> '13h30', 08:00 -> '8h'."""
    return f"{t.hour}h{t.minute:02d}" if t.minute else f"{t.hour}h"


def say_day(d: date, today: date) -> str:
    """'hôm nay', 'ngày mai', 'hôm qua', else 'thứ Sáu 21/02' (with the year when it differs)."""
    delta = (d - today).days
    if delta == 0:
        return "hôm nay"
    if delta == 1:
        return "ngày mai"
    if delta == -1:
        return "hôm qua"
    year = f"/{d.year}" if d.year != today.year else ""
    return f"{WEEKDAYS[d.weekday()]} {d.day:02d}/{d.month:02d}{year}"


def say_when(dt: datetime, now: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    """An instant on the wall clock, relative to now: '13h30 hôm nay', '15h thứ Hai 17/02'."""
    local = dt.astimezone(zone)
    return f"{say_time(local.time())} {say_day(local.date(), now.astimezone(zone).date())}"


def _say_period(start: date | None, end: date, today: date) -> str:
    """Before the period: its span ('trong tháng 3/2025', 'từ 31/07 đến thứ Sáu 15/08');
    once it has begun, its last day."""
    if start and start > today:
        if start.day == 1 and start.month == end.month and (end + timedelta(days=1)).day == 1:
            return f"trong tháng {end.month}/{end.year}"
        return f"từ {start.day:02d}/{start.month:02d} đến {say_day(end, today)}"
    return f"đến {say_day(end, today)}"


def say_lateness(days: int) -> str:
    """'3 ngày', then 'hơn 2 tháng', 'hơn 1 năm': nobody counts 648 days."""
    if days >= 365:
        return f"hơn {days // 365} năm"
    if days >= 60:
        return f"hơn {days // 30} tháng"
    return f"{days} ngày"


class _Deadline(NamedTuple):
    """The fields of a task that its deadline's words depend on."""

    deadline_kind: str | None
    deadline_date: date | None
    deadline_time: str | None
    deadline_start: date | None
    deadline_raw: str | None
    status: str
    due_at: datetime | None


# The fields a task's deadline is said from: whatever reads a task for `say_deadline` reads these.
DEADLINE_FIELDS = _Deadline._fields


def say_deadline(task_like, now: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    """A task's deadline in a few words, from its deadline fields (kind, date, time, start, raw).

    Open tasks past their last day read 'quá hạn 3 ngày', on it 'hạn chót hôm nay'; a meeting
    already held earlier today reads 'quá hạn từ 13h30 hôm nay'.
    """
    facts = _Deadline(task_like.deadline_kind, task_like.deadline_date, task_like.deadline_time,
                      getattr(task_like, "deadline_start", None), getattr(task_like, "deadline_raw", None),
                      getattr(task_like, "status", "open"), getattr(task_like, "due_at", None))
    return _say_deadline(facts, now, zone)


@lru_cache(maxsize=1024)  # the sweep's thousands of reminders at one moment speak of a few deadlines
def _say_deadline(task_like: _Deadline, now: datetime, zone: ZoneInfo) -> str:
    kind = task_like.deadline_kind
    written = task_like.deadline_date
    at = parse_hhmm(task_like.deadline_time)
    today = now.astimezone(zone).date()
    if kind is None or (written is None and kind != "recurring"):
        return "không có hạn"
    if kind == "recurring":
        return task_like.deadline_raw or "định kỳ"
    late = overdue_days(task_like, now, zone)
    if late:
        return f"quá hạn {say_lateness(late)}"
    clock = f"{say_time(at)} " if at else ""
    is_open = task_like.status == "open"
    due = task_like.due_at
    if is_open and due is not None and now >= due:
        return f"quá hạn từ {say_when(due, now, zone)}"  # past its moment, still on its last day
    if kind == "meeting" and at and is_open:
        meeting = due_at(kind, written, at, zone)
        if now >= meeting:
            return f"quá hạn từ {say_when(meeting, now, zone)}"
        return f"họp {say_when(meeting, now, zone)}"
    if kind == "meeting":
        return f"họp {clock}{say_day(written, today)}"
    if last_day(kind, written, task_like.deadline_time) == today:
        return f"hạn chót {clock}hôm nay"
    if kind == "before":
        return f"hạn trước {clock}{say_day(written, today)}"
    if kind == "period":
        return f"hạn {_say_period(task_like.deadline_start, written, today)}"
    return f"hạn {clock}{say_day(written, today)}"


def _day(moment: datetime) -> str:
    return f"{WEEKDAYS[moment.weekday()]} {say_date(moment.date())}"


def due_in_words(deadline, due: datetime | None, zone: ZoneInfo) -> str:
    """The due moment the importer worked out (`tasks.deadlines.due_at`) for a deadline as read
    (kind, date, time, start), in the office's words, to check against the deadline as written."""
    if deadline.kind == "recurring":
        return "định kỳ, không có hạn cụ thể"
    if due is None:
        return "chưa hiểu được"
    local = due.astimezone(zone)
    if deadline.kind == "meeting":  # at the hour written, if one was
        return f"họp {_day(local)}" + (f" {say_time(local.time())}" if deadline.time else "")
    if local.hour == local.minute == 0:
        when = f"hết ngày {_day(local - timedelta(days=1))}"
    else:
        when = f"{_day(local)} {say_time(local.time())}"
    if deadline.kind == "period" and deadline.start:
        return f"{say_date(deadline.start)}–{say_date(deadline.date)}, hạn {when}"
    return when


# --- tasks ---------------------------------------------------------------------------------------

# Openings that say how, not what: dropped so the gist starts with the thing itself.
_OPENING = re.compile(
    r"^(?:(?:tiếp tục|khẩn trương)\s+)?"
    r"(?:chủ trì,?\s*phối hợp với các (?:phòng, đơn vị|phòng|đơn vị)\s+)?"
    r"(?:(?:bổ sung|chỉnh sửa|hoàn thiện|xây dựng|cập nhật)(?:,\s*|\s+))*",
    re.IGNORECASE,
)
# Openings that say who ("Giao đồng chí Lê Hùng …", "Phối hợp với Phòng Kế hoạch – Tài chính …"):
# the gist starts at the first action, written in lower case unlike the names before it.
_WHO_FIRST = re.compile(r"^(?:giao|phối hợp với)\s", re.IGNORECASE)
_ACTION = re.compile(r"\s(?=(?:chỉ đạo|tham mưu|hoàn thành|hoàn thiện|thực hiện|xây dựng|triển khai|rà soát|tổ chức"
                     r"|chuẩn bị|bổ sung|chỉnh sửa|cập nhật|báo cáo|tổng hợp|đề xuất|kiểm tra|theo dõi|nghiên cứu)\b)")
_MAX_WHO_WORDS = 15
# A gist ends before these words once it says enough (five words or more), and never on them.
_STOP_BEFORE = {"về", "của", "để", "tại", "trên", "theo", "gắn", "nhằm", "đảm", "cho"}
_NOT_LAST = _STOP_BEFORE | {"các", "những", "và", "với", "một", "là"}


def _subject(text: str) -> list[str]:
    """The words of a task from its first action on, the boilerplate opening dropped."""
    text = " ".join(text.split())
    action = _ACTION.search(text) if _WHO_FIRST.match(text) else None
    if action and len(text[:action.start()].split()) <= _MAX_WHO_WORDS:
        text = text[action.end():]
    return _OPENING.sub("", text).split()


def _ended(taken: list[str], cut_short: bool) -> str:
    """The words taken, never ending on a little word, with '…' (closing a quotation) when cut."""
    while cut_short and len(taken) > 1 and taken[-1].lower() in _NOT_LAST:
        taken.pop()
    cut = " ".join(taken).rstrip(",;.: ")
    if not cut_short:
        return cut
    return cut + ("…”" if cut.count("“") > cut.count("”") else "…")


def gist(text: str, max_words: int = 9) -> str:
    """The few words that say what a task is about: 'dự thảo Chính sách đột phá…' (reminders)."""
    words = _subject(text)
    taken: list[str] = []
    for word in words:
        if (len(taken) >= 5 and word.lower() in _STOP_BEFORE) or len(taken) == max_words:
            break
        taken.append(word)
        if len(taken) >= 5 and word[-1] in ",;.:":
            break
    return _ended(taken, len(taken) < len(words))


@lru_cache(maxsize=8192)  # every list says it again for the same few hundred open tasks
def headline(text: str, limit: int = 80) -> str:
    """What a task is about in about `limit` characters, for a line of a list: the boilerplate
    opening skipped, cut at a word, each word as the sentence writes it."""
    words = _subject(text) or text.split()
    taken: list[str] = []
    for word in words:
        if taken and len(" ".join([*taken, word])) > limit:
            break
        taken.append(word)
    return _ended(taken, len(taken) < len(words))


def notice_label(week: int | None, symbol: str | None, meeting_on) -> str:
    """How officers name the notice: 'Thông báo kết luận tuần 7'."""
    if week:
        return f"Thông báo kết luận tuần {week}"
    if meeting_on:
        return f"Thông báo kết luận họp ngày {say_date(meeting_on)}"
    return f"Thông báo {symbol}" if symbol else "Thông báo kết luận"


def task_line(task, now: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    """'#7 dự thảo Chính sách đột phá… — quá hạn 3 ngày': one task, on its own line."""
    return f"#{task.id} {gist(task.text)} — {say_deadline(task, now, zone)}"


def say_ago(moment: datetime, now: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    """How long ago, in days as people count them: 'hôm nay', 'hôm qua', '3 ngày trước'."""
    days = (now.astimezone(zone).date() - moment.astimezone(zone).date()).days
    if days <= 0:
        return "hôm nay"
    if days == 1:
        return "hôm qua"
    return f"{say_lateness(days)} trước"


def say_names(people: list[str] | tuple[str, ...], last: str = "và") -> str:
    """'A', 'A và B', 'A, B và C'; 'A; B, C; D' when a name holds a comma (units often do)."""
    people = list(people)
    if len(people) <= 1:
        return "".join(people)
    if any("," in p for p in people):
        return "; ".join(people)
    return f"{', '.join(people[:-1])} {last} {people[-1]}"


def say_date(d: date) -> str:
    """A document's date, as it is printed on it: '18/02/2025'."""
    return f"{d:%d/%m/%Y}"


def dated(place: str, day: date) -> str:
    """A document's place and date as Nghị định 30/2020/NĐ-CP writes it: 'Quảng Trị, ngày 05
    tháng 02 năm 2025' (days below 10 and months below 3 take a leading 0)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def say_moment(moment: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    """A moment in full, for the office's tables and files: '03/12/2026 4h10' (on the office's clock)."""
    local = moment.astimezone(zone)
    return f"{say_date(local.date())} {say_time(local.time())}"


def say_week(monday: date) -> str:
    """A calendar week, Monday to Sunday: 'tuần 17/02–23/02/2025'."""
    monday, sunday = week_span(monday)
    return f"tuần {monday:%d/%m}–{say_date(sunday)}"


# --- reminders: what a reminder says, wherever it is sent from (the sweep, a held digest) ---

URGE = "Đề nghị anh/chị đôn đốc."


def escalation_line(task, label: str, now: datetime, *, owner: str, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    return f"Việc #{task.id} của {owner} {say_deadline(task, now, zone)}: {gist(task.text)} ({label})."


def reminder_text(kind: str, task, label: str, now: datetime, *, owner: str = "", zone: ZoneInfo = DEFAULT_ZONE) -> str:
    """One reminder. `task` has the Task deadline fields, `id` and `text`; `owner` names who
    answers for the task when the reader is a head or a leader being told about it."""
    n = task.id
    what = gist(task.text)
    close = f"Trả lời «xong {n}» khi hoàn thành."
    if kind == MEETING:
        if task.deadline_time:
            when = say_when(due_at(MEETING, task.deadline_date, task.deadline_time, zone), now, zone)
        else:
            when = say_day(task.deadline_date, now.astimezone(zone).date())
        return f"Nhắc việc #{n}: {when} họp về {what} ({label}). {close}"
    deadline = say_deadline(task, now, zone)
    if kind == ESCALATION:
        return f"{escalation_line(task, label, now, owner=owner, zone=zone)} {URGE}"
    if kind == OVERDUE:
        whose = f" của {owner}" if owner else ""
        return (f"Việc #{n}{whose} đã {deadline}: {what} ({label}). "
                f"Nếu đã xong, trả lời «xong {n}»; cần thêm thời gian, bấm «Gia hạn».")
    prefix = "Nhắc việc định kỳ" if kind == RECURRING else "Nhắc việc"
    return f"{prefix} #{n}: {what} — {deadline} ({label}). {close}"
