"""What `nhacviec import` prints: the stored tasks as understood, for the office to check."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from notices.importer import ImportReport, PlannedTask
from tasks.text import fold
from tasks.wording import due_in_words


def _unit_cell(task: PlannedTask) -> str:
    """The unit as written and the directory's unit, once when they are the same name."""
    if task.unit and fold(task.unit.name) == fold(task.unit_raw):
        return task.unit_raw
    return f"{task.unit_raw or '—'} → {task.unit.name if task.unit else '(?)'}"


def review_table(tasks: list[PlannedTask], zone: ZoneInfo) -> str:
    """One row per stored task: ref, unit as written → resolved, people, deadline → understood."""
    header = ("Mục", "Đơn vị: như viết → hiểu là", "Người", "Hạn: như viết → hiểu là")
    rows = [header]
    for task in tasks:
        people = [o.full_name for o in task.assignees] + [f"{name} (?)" for name in task.assignees_unresolved]
        rows.append((
            task.ref,
            _unit_cell(task),
            ", ".join(people) or "—",
            f"{task.deadline.raw} → {due_in_words(task.deadline, task.due_at, zone)}" if task.deadline else "—",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    return "\n".join(
        " | ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]]) for row in rows
    )


def render_report(report: ImportReport, zone: ZoneInfo) -> str:
    if report.created:
        state = f"Đã lưu thông báo số {report.notice_id} với {len(report.task_ids)} việc."
    elif report.published:
        state = f"Thông báo này đã được nhập (số {report.notice_id})."
    else:
        state = f"Thông báo này đã được nhập (số {report.notice_id}): không thay đổi gì."
    if report.published:
        state += f" Đã công bố {report.published} việc."
    elif report.published_at:
        state += " Đã công bố từ trước."
    else:
        state += " Chưa công bố: chạy lại với --publish để cán bộ thấy việc."
    lines = [state, "", review_table(report.tasks, zone)]
    if report.warnings:
        lines += ["", f"Cần xem lại ({len(report.warnings)}):", *(f"- {w}" for w in report.warnings)]
    return "\n".join(lines)
