"""`nhacviec serve`: the web app, the delivery of replies and (unless told not to) the scheduler."""

from __future__ import annotations

import click

from bot.commands.context import CliContext, pass_context


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-scheduler", is_flag=True, help="Do not run reminders and summaries in this process.")
@pass_context
def serve(ctx: CliContext, host: str, port: int, no_scheduler: bool) -> None:
    """Run the web app, the delivery of replies and (unless --no-scheduler) the scheduler."""
    from bot.serving import serve_forever  # imported when run: `nhacviec --help` stays fast

    serve_forever(ctx.runtime, host=host, port=port, with_scheduler=not no_scheduler)
