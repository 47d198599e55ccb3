"""The `nhacviec` command line (docs/operations.md). Every command is registered here, once;
each area's commands are written in `bot/commands/`."""

from __future__ import annotations

import click

from bot.commands import database, importing, linking, parsing, scheduling, serving
from bot.commands.context import CliContext
from config.settings import load_settings


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


for command in (
    database.init_db_command,
    database.directory,
    parsing.parse,
    importing.import_command,
    linking.link_code,
    serving.serve,
    serving.worker,
    scheduling.scheduler_command,
    scheduling.tick,
    scheduling.unreachable,
):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="nhacviec")
