"""What the scheduler says, as a colleague would write it. Pure: facts in, text and buttons out."""

from __future__ import annotations

from tasks.wording import URGE
from zalo.messages import Button


def task_buttons(task_id: int, *, can_extend: bool = True) -> tuple[Button, ...]:
    buttons = [Button(f"Xong #{task_id}", f"xong {task_id}"), Button("Chi tiết", f"chi tiết {task_id}")]
    if can_extend:
        buttons.append(Button("Gia hạn", f"gia hạn {task_id}"))
    return tuple(buttons)


def escalation_digest(lines: list[str], task_ids: list[int]) -> tuple[str, tuple[Button, ...]]:
    """Several overdue tasks for one leader at one moment: one message, not one per task."""
    text = "\n".join([f"Có {len(lines)} việc quá hạn, {URGE[0].lower()}{URGE[1:]}"] + [f"• {line}" for line in lines])
    return text, tuple(Button(f"Chi tiết #{n}", f"chi tiết {n}") for n in task_ids[:5])


# --- weekly summaries ------------------------------------------------------------------------

SUMMARY_BUTTONS = (Button("Việc của tôi", "việc của tôi"),)
