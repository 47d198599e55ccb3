"""`nhacviec init-db` and `nhacviec directory load`: the database and the directory in it."""

from __future__ import annotations

from pathlib import Path

import click

from bot.commands.context import CliContext, pass_context


@click.command("init-db")
@pass_context
def init_db_command(ctx: CliContext) -> None:
    """Create or migrate the database named by DATABASE_URL (safe to repeat)."""
    from storage.db import init_db, make_engine  # imported when run: `nhacviec --help` stays fast

    engine = make_engine(ctx.settings.database_url)
    try:
        init_db(engine)
    finally:
        engine.dispose()
    click.echo("database is up to date")


@click.group()
def directory() -> None:
    """The directory of units and officers."""


@directory.command("load")
@click.option("--units", "units_csv", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--officers", "officers_csv", required=True, type=click.Path(dir_okay=False, path_type=Path))
@pass_context
def directory_load(ctx: CliContext, units_csv: Path, officers_csv: Path) -> None:
    """Insert or update units and officers from the CSV files (safe to repeat)."""
    from storage.directory import load_directory  # imported when run: `nhacviec --help` stays fast

    with ctx.runtime.session() as session:
        summary = load_directory(session, units_csv, officers_csv)
    click.echo(str(summary))
