"""The `nhacviec` command line (CONTRACTS §2). Each area defines its commands in its own module."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import click

from bot.settings import Settings, load_settings


class CliContext:
    """Settings read once; the database and runtime made only when a command needs them."""

    def __init__(self, settings: Settings):
        self.settings = settings

    @cached_property
    def runtime(self):
        """The runtime, on a database `init-db` has brought up to date: other commands never
        migrate, so several processes starting at once cannot race over the schema."""
        from bot.runtime import Runtime
        from storage.db import schema_is_current

        runtime = Runtime(self.settings)
        if not schema_is_current(runtime.engine):
            raise click.ClickException("the database (DATABASE_URL) is not set up or not up to date: "
                                       "run `nhacviec init-db` first")
        return runtime

    @property
    def engine(self):
        return self.runtime.engine


pass_context = click.make_pass_decorator(CliContext)


def one_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class Commands(click.Group):
    """Any failure of a command becomes one clear line on stderr and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:  # noqa: BLE001 - the contract: one line, non-zero exit
            raise click.ClickException(one_line(error)) from error


@click.group(cls=Commands)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Nhắc Việc: the Zalo OA assistant of the Sở Khoa học và Công nghệ."""
    if ctx.obj is None:
        ctx.obj = CliContext(load_settings())


@cli.command("init-db")
@pass_context
def init_db_command(ctx: CliContext) -> None:
    """Create or migrate the database named by DATABASE_URL (safe to repeat)."""
    from storage.db import init_db, make_engine

    engine = make_engine(ctx.settings.database_url)
    try:
        init_db(engine)
    finally:
        engine.dispose()
    click.echo("database is up to date")


@cli.group()
def directory() -> None:
    """The directory of units and officers."""


@directory.command("load")
@click.option("--units", "units_csv", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--officers", "officers_csv", required=True, type=click.Path(dir_okay=False, path_type=Path))
@pass_context
def directory_load(ctx: CliContext, units_csv: Path, officers_csv: Path) -> None:
    """Insert or update units and officers from the CSV files (safe to repeat)."""
    from storage.directory import load_directory

    with ctx.runtime.session() as session:
        summary = load_directory(session, units_csv, officers_csv)
    click.echo(str(summary))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-scheduler", is_flag=True, help="Do not run reminders and summaries in this process.")
@pass_context
def serve(ctx: CliContext, host: str, port: int, no_scheduler: bool) -> None:
    """Run the web app, the delivery of replies and (unless --no-scheduler) the scheduler."""
    from bot.serving import serve_forever

    serve_forever(ctx.runtime, host=host, port=port, with_scheduler=not no_scheduler)


@cli.command(hidden=True)
@click.option("--port", default=8000, show_default=True, type=int)
@pass_context
def dev(ctx: CliContext, port: int) -> None:
    """`make run`: the sample directory and notice, the bot and the Zalo stand-in on one port."""
    from bot.serving import serve_dev

    serve_dev(ctx.settings, port=port)


from scheduler.cli import scheduler_command, tick, unreachable  # noqa: E402 - they use pass_context

cli.add_command(tick)
cli.add_command(scheduler_command)
cli.add_command(unreachable)

from notices.import_cli import import_command  # noqa: E402

cli.add_command(import_command)

from notices.cli import parse  # noqa: E402

cli.add_command(parse)

from handlers.cli import link_code  # noqa: E402 - it uses pass_context

cli.add_command(link_code)


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="nhacviec")
