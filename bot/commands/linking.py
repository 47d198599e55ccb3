"""`nhacviec link-code "FULL NAME"`: a one-time code the officer sends as "đăng ký CODE"."""

from __future__ import annotations

import click

from bot.commands.context import CliContext, pass_context


@click.command("link-code")
@click.argument("full_name")
@click.option("--replace", is_flag=True, help="Void the officer's earlier codes that have not expired.")
@pass_context
def link_code(ctx: CliContext, full_name: str, replace: bool) -> None:
    """Print a one-time code (7 days) that links an officer's Zalo account; the code is the last line."""
    # imported when run: `nhacviec --help` stays fast
    from sqlmodel import select

    # imported when run, as above
    from handlers.linking import issue_link_code
    from storage.models import Officer, utcnow
    from tasks.text import fold
    from tasks.wording import say_moment

    wanted = fold(full_name)
    with ctx.runtime.session() as session:
        active = session.exec(select(Officer).where(Officer.active == True))  # noqa: E712
        found = [o for o in active if fold(o.full_name) == wanted]
        if not found:
            raise click.ClickException(f"không có cán bộ nào tên “{full_name}” trong danh bạ")
        if len(found) > 1:
            raise click.ClickException(
                f"danh bạ có {len(found)} cán bộ tên “{full_name}”: hãy sửa danh bạ cho khác nhau")
        officer = found[0]
        row = issue_link_code(session, officer, utcnow(), void_earlier=replace)
    expires = say_moment(row.expires_at, ctx.settings.zone)
    click.echo(f"Mã liên kết Zalo cho {officer.full_name}, dùng một lần, hết hạn {expires}.")
    click.echo(f"Cán bộ nhắn cho Nhắc Việc: đăng ký {row.code}")
    click.echo(row.code)
