"""`nhacviec import FILE [--publish]`: store a notice and show the office what was understood."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import click

from bot.commands.context import CliContext, pass_context
from notices.importer import ImportRefused, ImportReport, PlannedTask, import_notice, publish_notice
from storage.models import utcnow
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


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--publish", is_flag=True, help="Công bố ngay: cán bộ thấy việc và được nhắc.")
@pass_context
def import_command(ctx: CliContext, file: Path, publish: bool) -> None:
    """Store a notice and its tasks (unpublished unless --publish); safe to repeat."""
    # imported when run: `nhacviec --help` stays fast
    from notices import NoticeError, read_notice

    try:
        parsed = read_notice(file)
        with ctx.runtime.session(write_lock=True) as session:
            report = import_notice(session, parsed, source_name=file.name, settings=ctx.settings)
            if publish:
                now = utcnow()
                report.published = publish_notice(session, report.notice_id, ctx.settings, now)
                report.published_at = report.published_at or now
    except (NoticeError, ImportRefused) as error:
        raise click.ClickException(str(error)) from None
    click.echo(render_report(report, ctx.settings.zone))
