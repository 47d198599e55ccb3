"""`nhacviec serve` and `nhacviec worker`: the web app, and the background work beside it."""

from __future__ import annotations

import click

from bot.commands.context import CliContext, pass_context
from config.logs import configure_logging


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-scheduler", is_flag=True, help="Do not run reminders and summaries beside this server.")
@click.option("--no-worker", is_flag=True, help="Serve the web only: `nhacviec worker` runs elsewhere.")
@pass_context
def serve(ctx: CliContext, host: str, port: int, no_scheduler: bool, no_worker: bool) -> None:
    """Run the web app, with `nhacviec worker` started beside it (a small office's one command)."""
    from bot.serving import serve_forever  # imported when run: `nhacviec --help` stays fast

    serve_forever(ctx.runtime, host=host, port=port, with_scheduler=not no_scheduler,
                  worker="none" if no_worker else "process")


@click.command()
@click.option("--no-scheduler", is_flag=True, help="Handle events and send, but run no reminders or summaries.")
@click.option("--no-sender", is_flag=True, help="Leave the outbox to another `nhacviec worker` (its own process).")
@click.option("--no-events", is_flag=True, help="Leave Zalo's events to another `nhacviec worker`.")
@click.option("--exit-with", type=int, hidden=True, help="Stop when the process of this id is no longer the parent.")
@pass_context
def worker(ctx: CliContext, no_scheduler: bool, no_sender: bool, no_events: bool, exit_with: int | None) -> None:
    """Handle Zalo's events, send the outbox and (unless --no-scheduler) run the scheduler."""
    from bot.serving import run_worker  # imported when run: `nhacviec --help` stays fast

    runtime = ctx.runtime  # made (and the schema checked) before the log is turned up
    configure_logging()
    run_worker(runtime, with_scheduler=not no_scheduler, exit_with=exit_with, events=not no_events,
               outbox=not no_sender)
