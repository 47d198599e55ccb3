"""Dates and deadlines as people say them: "13h30 hôm nay", "thứ Sáu 21/02", "quá hạn 3 ngày".

Pure functions shared by reminders, summaries and the conversation, so every message the bot
sends speaks about time the same way.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

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


def parse_hhmm(value: str | None) -> time | None:
    if not value:
        return None
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def last_day(kind: str | None, written: date | None, at: str | None = None) -> date | None:
    """The last day the work may be done: for "trước ngày X" it is the day before X
    (unless a time is given: "trước 16h00 ngày X" still leaves that morning)."""
    if written is None or kind in (None, "recurring"):
        return None
    if kind == "before" and not at:
        return written - timedelta(days=1)
    return written


def overdue_days(task_like, now: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> int:
    """Whole calendar days past the last day (0 when not overdue or closed)."""
    if getattr(task_like, "status", "open") != "open":
        return 0
    end = last_day(task_like.deadline_kind, task_like.deadline_date, task_like.deadline_time)
    if end is None:
        return 0
    return max(0, (now.astimezone(zone).date() - end).days)


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


def say_deadline(task_like, now: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    """A task's deadline in a few words, from its deadline fields (kind, date, time, start, raw).

    Open tasks past their last day read 'quá hạn 3 ngày', on it 'hạn chót hôm nay'; a meeting
    already held earlier today reads 'quá hạn từ 13h30 hôm nay'.
    """
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
    is_open = getattr(task_like, "status", "open") == "open"
    due = getattr(task_like, "due_at", None)
    if is_open and due is not None and now >= due:
        return f"quá hạn từ {say_when(due, now, zone)}"  # past its moment, still on its last day
    if kind == "meeting" and at and is_open:
        meeting = datetime.combine(written, at, zone)
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
