"""What the scheduler says, as a colleague would write it. Pure: facts in, text and buttons out."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tasks.deadlines import due_at
from tasks.planner import ESCALATION, MEETING, OVERDUE, RECURRING
from tasks.wording import DEFAULT_ZONE, gist, say_day, say_deadline, say_when
from zalo.messages import Button


def task_buttons(task_id: int, *, can_extend: bool = True) -> tuple[Button, ...]:
    buttons = [Button(f"Xong #{task_id}", f"xong {task_id}"), Button("Chi tiết", f"chi tiết {task_id}")]
    if can_extend:
        buttons.append(Button("Gia hạn", f"gia hạn {task_id}"))
    return tuple(buttons)


URGE = "Đề nghị anh/chị đôn đốc."


def escalation_line(task, label: str, now: datetime, *, owner: str, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    return f"Việc #{task.id} của {owner} {say_deadline(task, now, zone)}: {gist(task.text)} ({label})."


def escalation_digest(lines: list[str], task_ids: list[int]) -> tuple[str, tuple[Button, ...]]:
    """Several overdue tasks for one leader at one moment: one message, not one per task."""
    text = "\n".join([f"Có {len(lines)} việc quá hạn, {URGE[0].lower()}{URGE[1:]}"] + [f"• {line}" for line in lines])
    return text, tuple(Button(f"Chi tiết #{n}", f"chi tiết {n}") for n in task_ids[:5])


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


# --- weekly summaries ------------------------------------------------------------------------

SUMMARY_BUTTONS = (Button("Việc của tôi", "việc của tôi"),)
