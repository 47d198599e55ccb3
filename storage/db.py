"""Engine, sessions and schema. SQLite (WAL, busy timeout) by default; PostgreSQL unchanged."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import event, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, create_engine

from storage.models import Heartbeat

MIGRATIONS = Path(__file__).parent / "migrations"


def private_file(path: Path) -> None:
    """Create the SQLite file readable by its owner only (0600): it holds Zalo tokens and phone
    numbers. SQLite gives its -wal and -shm files the database file's mode; an existing file and
    its companions are narrowed to 0600 too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Never open (and so close) a file SQLite may hold: closing any descriptor of a file drops
        # every POSIX lock this process has on it. A new file is opened by nobody yet.
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            pass
    for companion in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if companion.exists() and companion.stat().st_mode & 0o077:
            companion.chmod(0o600)


# Connections a process keeps: as many as its threads use at once (the sender's 16 and the event
# worker), none opened and closed again for a transaction, as the pool's overflow connections
# were. At most SQLAlchemy's default 5 + 10 as before: several processes share one PostgreSQL.
POOL_SIZE = 15


def make_engine(url: str, **kwargs) -> Engine:
    """An engine for `url`; for SQLite, the folder is created and the connection tuned.

    Statement parameters are kept out of error messages: they hold the Zalo tokens and
    officers' messages, and errors end up in logs.
    """
    kwargs.setdefault("hide_parameters", True)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or (parsed.database and parsed.database != ":memory:"):
        kwargs.setdefault("pool_size", POOL_SIZE)
        kwargs.setdefault("max_overflow", 0)
    if parsed.get_backend_name() != "sqlite":
        # No ping before each transaction (it doubled the round trips of the short ones): a
        # connection lost to a restart of PostgreSQL fails its statement once, and the pool then
        # replaces every connection opened before; the webhook's insert is tried again (below),
        # the background loops try again on their next pass.
        return create_engine(url, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        private_file(Path(parsed.database))
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)

    @event.listens_for(engine, "connect")
    def _tune(dbapi_connection, _record):
        # We issue BEGIN ourselves (below) so that SQLite's locking is predictable.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        immediate = connection.get_execution_options().get("sqlite_immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@contextmanager
def session_scope(engine: Engine, *, read_only: bool = False, write_lock: bool = False) -> Iterator[Session]:
    """A session committed on success, rolled back on error.

    On SQLite a transaction that reads and then writes fails at once ("database is locked")
    when another writer committed in between, so every session that may write takes the
    write lock up front (BEGIN IMMEDIATE; other writers wait, readers never do). Pass
    `read_only=True` for pure reads. `write_lock` states the intent to serialise a
    read-then-write across processes; on PostgreSQL pair it with `with_for_update()` rows.
    """
    with Session(engine, expire_on_commit=False) as session:
        if engine.dialect.name == "sqlite" and (write_lock or not read_only):
            session.connection(execution_options={"sqlite_immediate": True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def insert_ignoring_duplicate(engine: Engine, table, values: dict, key: str) -> bool:
    """One INSERT that does nothing when a row with the same unique `key` exists; True when inserted.

    A single statement in its own short transaction: on SQLite it takes the write lock only for
    the insert itself (no read before it), on PostgreSQL it never waits on a unique-key race.
    """
    insert = sqlite_insert if engine.dialect.name == "sqlite" else postgresql_insert
    statement = insert(table).values(**values).on_conflict_do_nothing(index_elements=[key])
    if engine.dialect.name == "sqlite":
        return write_promptly(engine, statement) == 1
    statement = statement.returning(table.c[key])  # back when inserted (a rowcount may say -1)
    try:
        with engine.begin() as connection:
            return connection.execute(statement).first() is not None
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
    with engine.begin() as connection:  # the server restarted: the same statement once more, harmless
        return connection.execute(statement).first() is not None


# SQLite's own busy handler sleeps longer and longer (up to 100 ms) between tries, so a writer
# that must answer quickly (the webhook) loses the lock again and again to busy background
# writers. This one tries again every half millisecond, taking the first gap between their
# transactions, up to the usual busy timeout.
PROMPT_RETRY_SECONDS = 0.0005
BUSY_TIMEOUT_SECONDS = 30


def write_promptly(engine: Engine, statement) -> int:
    """Run one writing statement on SQLite in its own transaction, trying for the lock as above;
    returns the rows it changed."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA busy_timeout=0")
        connection.commit()
        try:
            while True:
                try:
                    with connection.begin():
                        return connection.execute(statement).rowcount
                except OperationalError as error:
                    if "locked" not in str(error.orig) or time.monotonic() > deadline:
                        raise
                    connection.rollback()
                time.sleep(PROMPT_RETRY_SECONDS)
        finally:
            connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
            connection.commit()


def beat(engine: Engine, name: str, at) -> None:
    """Record that the recurring work `name` finished at `at` (one upsert)."""
    insert = sqlite_insert if engine.dialect.name == "sqlite" else postgresql_insert
    statement = insert(Heartbeat.__table__).values(name=name, at=at)
    statement = statement.on_conflict_do_update(index_elements=["name"], set_={"at": statement.excluded.at})
    with engine.begin() as connection:
        connection.execute(statement)


def alembic_config(engine: Engine):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def init_db(engine: Engine) -> None:
    """Create or migrate the schema to the newest revision; safe to repeat."""
    from alembic import command

    command.upgrade(alembic_config(engine), "head")
    analyze(engine)


def analyze(engine: Engine) -> None:
    """Refresh the planner's statistics (SQLite's sqlite_stat1, PostgreSQL's pg_statistic), so that
    the sweep and the worker get the plans their indexes were made for; cheap, safe to repeat."""
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")


def schema_is_current(engine: Engine) -> bool:
    """Is the database migrated to the newest revision? (Commands other than init-db check, never migrate.)"""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())


def database_answers(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not answering"
        return False
