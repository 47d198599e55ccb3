"""`nhacviec parse FILE [--json]`: what the reader found in a notice, stored nowhere."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from notices.model import ParsedNotice


def summary(parsed: ParsedNotice) -> str:
    """The notice for a person checking the reader: header, then one line per task."""
    from tasks.wording import say_date  # imported when run: `nhacviec --help` stays fast

    head = parsed.notice
    number = f"{head.number or ''}/{head.symbol}" if head.symbol else "—"
    issued = say_date(head.issued_on) if head.issued_on else "chưa ghi ngày"
    meeting = say_date(head.meeting_on) if head.meeting_on else "—"
    week = f"tuần {head.week}/{head.year}" if head.week else f"năm {head.year or '—'}"
    lines = [
        f"Thông báo số {number}, {head.place or '—'}, {issued}",
        head.title or "(không có tiêu đề)",
        f"Loại văn bản: {parsed.kind or 'không ghi'}" + (f"; dòng tiêu đề: {parsed.heading}" if parsed.heading else "")
        + ("; đọc từ ảnh quét (OCR)" if parsed.ocr else ""),
        f"Họp ngày {meeting} ({week}); chủ trì: {head.chair or '—'}; ký: {head.signer or '—'}",
        f"{len(parsed.tasks)} nhiệm vụ:",
    ]
    for task in parsed.tasks:
        who = task.unit or "(chưa rõ đơn vị)"
        if task.assignees:
            who += f" ({', '.join(task.assignees)})"
        if task.whole_office:
            who += " [cả Sở: Ban Giám đốc phân công]"
        due = f"{task.deadline.raw} → {task.deadline.understood()}" if task.deadline else "không có hạn"
        lines.append(f"{task.ref:>6}  {who}: {due}")
        lines += [f"        ! {warning}" for warning in task.warnings]
        lines += [f"        ? chưa đọc được hạn: {sentence}" for sentence in task.unread_deadlines]
    lines += [f"! {warning}" for warning in parsed.warnings]
    return "\n".join(lines)


@click.command("parse")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the notice as JSON (docs/notices.md) on stdout.")
def parse(file: Path, as_json: bool) -> None:
    """Read a notice (.txt, .md, .docx, .doc, .pdf, a scan) and print what was found; nothing is stored."""
    # imported when run: `nhacviec --help` stays fast
    from notices import NoticeError, read_notice

    try:
        parsed = read_notice(file)
    except NoticeError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(parsed.to_dict(), ensure_ascii=False, indent=1))
        for warning in [*(f"{t.ref}: {w}" for t in parsed.tasks for w in t.warnings), *parsed.warnings]:
            click.echo(f"cảnh báo: {warning}", err=True)
        for task in parsed.tasks:
            for sentence in task.unread_deadlines:
                click.echo(f"cảnh báo: {task.ref}: chưa đọc được hạn trong câu: {sentence}", err=True)
    else:
        click.echo(summary(parsed))
