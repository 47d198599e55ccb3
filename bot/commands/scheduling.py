"""`nhacviec tick`, `nhacviec scheduler` and `nhacviec unreachable` (docs/operations.md)."""

from __future__ import annotations

from datetime import datetime, timedelta

import click

from bot.commands.context import pass_context
from config.logs import configure_logging


def parse_instant(value: str, zone) -> datetime:
    """ISO-8601; without an offset it is read on the office's wall clock."""
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"--at {value!r} is not an ISO-8601 date and time (e.g. 2025-02-17T15:00+07:00)") from None
    return at if at.tzinfo else at.replace(tzinfo=zone)


@click.command()
@click.option("--at", "at_text", required=True, metavar="ISO-8601", help="The instant to do the due work for.")
@click.option("--wait", "wait_seconds", default=120.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds to wait while another scheduler is working before giving up.")
@pass_context
def tick(ctx, at_text: str, wait_seconds: float) -> None:
    """Do, once, the scheduled work due at that instant (reminders, summaries, escalations)."""
    from scheduler.jobs import run_due_work_waiting  # imported when run: `nhacviec --help` stays fast

    at = parse_instant(at_text, ctx.settings.zone)
    result = run_due_work_waiting(ctx.runtime, at, timedelta(seconds=wait_seconds))
    if result.stood_aside:
        raise click.ClickException(f"another scheduler kept working for {wait_seconds:g} s: "
                                   f"nothing done for {at.isoformat()}, run it again")
    click.echo(f"{at.isoformat()}: {result}")


@click.command("scheduler")
@pass_context
def scheduler_command(ctx) -> None:
    """Run only the scheduler (reminders, summaries, token refresh) until Ctrl+C or SIGTERM."""
    # imported when run: `nhacviec --help` stays fast
    from bot.serving import stop_on_signals, wait_for_stop
    from scheduler.jobs import build_scheduler

    runtime = ctx.runtime  # made (and the schema checked) before the log is turned up
    configure_logging()
    scheduler = build_scheduler(runtime)
    stop = stop_on_signals()  # as `nhacviec serve` stops: see bot.serving
    scheduler.start()
    click.echo("scheduler running (Ctrl+C to stop)")
    try:
        wait_for_stop(stop)
    finally:
        runtime.stopping.set()  # what is not being sent stays queued
        scheduler.shutdown(wait=True)  # a sweep in progress finishes its transaction
        runtime.stop()
    click.echo("scheduler stopped")


@click.command()
@pass_context
def unreachable(ctx) -> None:
    """List the officers the bot cannot reach on Zalo, and since when."""
    # imported when run: `nhacviec --help` stays fast
    from storage.models import utcnow
    from tasks.summary import unreachable_line, unreachable_officers

    now = utcnow()
    with ctx.runtime.session(read_only=True) as session:
        people = unreachable_officers(session, ctx.settings, now)
    for person in people:
        click.echo(unreachable_line(person, now, ctx.settings.zone))
    click.echo(f"{len(people)} officer(s) cannot be reached")
