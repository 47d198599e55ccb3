"""What the scheduler says, as a colleague would write it. Pure: facts in, text and buttons out."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.outbox import Button
from scheduler.planner import ESCALATION, MEETING, OVERDUE, RECURRING
from scheduler.wording import DEFAULT_ZONE, parse_hhmm, say_deadline, say_when

# Openings that say how, not what: dropped so the gist starts with the thing itself.
_OPENING = re.compile(
    r"^(?:(?:tiếp tục|khẩn trương)\s+)?"
    r"(?:chủ trì,?\s*phối hợp với các (?:phòng, đơn vị|phòng|đơn vị)\s+)?"
    r"(?:(?:bổ sung|chỉnh sửa|hoàn thiện|xây dựng|cập nhật)(?:,\s*|\s+))*",
    re.IGNORECASE,
)
# A gist ends before these words once it says enough (five words or more).
_STOP_BEFORE = {"về", "của", "để", "tại", "trên", "theo", "gắn", "nhằm", "đảm", "cho"}


def gist(text: str, max_words: int = 9) -> str:
    """The few words that say what a task is about: 'dự thảo Chính sách đột phá…'."""
    words = _OPENING.sub("", " ".join(text.split())).split()
    taken: list[str] = []
    for word in words:
        if len(taken) >= 5 and word.lower() in _STOP_BEFORE or len(taken) == max_words:
            break
        taken.append(word)
        if len(taken) >= 5 and word[-1] in ",;.:":
            break
    cut = " ".join(taken).rstrip(",;.: ")
    return cut + ("…" if len(taken) < len(words) else "")


def notice_label(week: int | None, symbol: str | None, meeting_on) -> str:
    """How officers name the notice: 'Thông báo kết luận tuần 7'."""
    if week:
        return f"Thông báo kết luận tuần {week}"
    if meeting_on:
        return f"Thông báo kết luận họp ngày {meeting_on:%d/%m/%Y}"
    return f"Thông báo {symbol}" if symbol else "Thông báo kết luận"


def task_buttons(task_id: int, *, can_extend: bool = True) -> tuple[Button, ...]:
    buttons = [Button(f"Xong #{task_id}", f"xong {task_id}"), Button("Chi tiết", f"chi tiết {task_id}")]
    if can_extend:
        buttons.append(Button("Gia hạn", f"gia hạn {task_id}"))
    return tuple(buttons)


def reminder_text(kind: str, task, label: str, now: datetime, *, owner: str = "", zone: ZoneInfo = DEFAULT_ZONE) -> str:
    """One reminder. `task` has the Task deadline fields, `id` and `text`; `owner` names who
    answers for the task when the reader is a head or a leader being told about it."""
    n = task.id
    what = gist(task.text)
    close = f"Trả lời «xong {n}» khi hoàn thành."
    if kind == MEETING:
        meeting = datetime.combine(task.deadline_date, parse_hhmm(task.deadline_time) or datetime.min.time(), zone)
        when = say_when(meeting, now, zone) if task.deadline_time else say_deadline(task, now, zone)
        return f"Nhắc việc #{n}: {when} họp về {what} ({label}). {close}"
    deadline = say_deadline(task, now, zone)
    if kind == ESCALATION:
        return f"Việc #{n} của {owner} {deadline}: {what} ({label}). Đề nghị anh/chị đôn đốc."
    if kind == OVERDUE:
        whose = f" của {owner}" if owner else ""
        return (f"Việc #{n}{whose} đã {deadline}: {what} ({label}). "
                f"Nếu đã xong, trả lời «xong {n}»; cần thêm thời gian, bấm «Gia hạn».")
    prefix = "Nhắc việc định kỳ" if kind == RECURRING else "Nhắc việc"
    return f"{prefix} #{n}: {what} — {deadline} ({label}). {close}"
