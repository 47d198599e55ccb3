"""`nhacviec import FILE [--publish]`: store a notice and show the office what was understood."""

from __future__ import annotations

from pathlib import Path

import click

from bot.commands.context import CliContext, pass_context


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--publish", is_flag=True, help="Công bố ngay: cán bộ thấy việc và được nhắc.")
@pass_context
def import_command(ctx: CliContext, file: Path, publish: bool) -> None:
    """Store a notice and its tasks (unpublished unless --publish); safe to repeat."""
    # imported when run: `nhacviec --help` stays fast
    from bot.commands.import_report import render_report
    from notices import NoticeError, read_notice
    from notices.importer import ImportRefused, import_notice, publish_notice
    from storage.models import utcnow

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
