"""What the scheduler says, as a colleague would write it. Pure: facts in, text and buttons out."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tasks.deadlines import due_at
from tasks.planner import ESCALATION, MEETING, OVERDUE, RECURRING
from tasks.wording import DEFAULT_ZONE, gist, say_day, say_deadline, say_lateness, say_when, task_line
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


def _counts(stats) -> str:
    return (f"đang làm {stats.open} (quá hạn {stats.overdue}, đến hạn tuần này {stats.due_this_week}), "
            f"tuần trước xong {stats.closed_last_week}")


def leaders_section(week_label: str, units: list, total) -> str:
    """The leaders' view: one line per unit, the most overdue task of each named."""
    lines = [f"Tổng hợp {week_label} — toàn Sở", f"Toàn Sở: {_counts(total)}."]
    for stats in units:
        worst = f"; lâu nhất #{stats.worst.id} (quá hạn {say_lateness(stats.worst_days)})" if stats.worst else ""
        lines.append(f"• {stats.short or stats.name}: {_counts(stats)}{worst}.")
    return "\n".join(lines)


def unit_section(week_label: str, stats, tasks: list, now: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    counts = _counts(stats)
    lines = [f"Tổng hợp {week_label} — {stats.name}", f"{counts[0].upper()}{counts[1:]}."]
    lines += [task_line(t, now, zone) for t in tasks]
    return "\n".join(lines)


def own_section(tasks: list, now: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    return "\n".join([f"Việc anh/chị được giao ({len(tasks)}):"] + [task_line(t, now, zone) for t in tasks])


def missed_section(task_ids: list[int]) -> str:
    listed = ", ".join(f"#{n}" for n in task_ids)
    return f"Nhắc việc chưa gửi kịp khi hệ thống tạm dừng: {listed}."


def unreachable_line(person, now: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    """'Lý Văn Nam (Trung tâm Kỹ thuật TĐC): chưa liên kết Zalo'."""
    since = f", từ {say_day(person.since.astimezone(zone).date(), now.astimezone(zone).date())}" if person.since else ""
    return f"{person.name} ({person.unit}): {person.reason}{since}"


def unreachable_section(people: list, now: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    return "\n".join([f"Chưa liên lạc được qua Zalo ({len(people)}):"]
                     + [f"• {unreachable_line(p, now, zone)}" for p in people])
