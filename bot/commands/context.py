"""What every command gets: the settings, read once, and the runtime, made when first needed."""

from __future__ import annotations

from functools import cached_property

import click

from config.settings import Settings


class CliContext:
    """Settings read once; the database and runtime made only when a command needs them."""

    def __init__(self, settings: Settings):
        self.settings = settings

    @cached_property
    def runtime(self):
        """The runtime, on a database `init-db` has brought up to date: other commands never
        migrate, so several processes starting at once cannot race over the schema."""
        # Imported when a command first needs the database: `nhacviec --help` stays fast.
        from bot import make_runtime
        from storage.db import schema_is_current

        runtime = make_runtime(self.settings)
        if not schema_is_current(runtime.engine):
            raise click.ClickException("the database (DATABASE_URL) is not set up or not up to date: "
                                       "run `nhacviec init-db` first")
        return runtime


pass_context = click.make_pass_decorator(CliContext)
