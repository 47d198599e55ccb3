"""The database: migrations, aware datetimes, and the SQLite settings that make it safe to share."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, text
from sqlmodel import select

from storage.db import init_db, make_engine, session_scope
from storage.models import Officer, Unit
from tests.fixtures.db import both_databases


@both_databases
def test_datetimes_come_back_aware_and_equal(runtime):
    hanoi = datetime(2025, 2, 18, 13, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with runtime.session() as session:
        unit = Unit(code="VP", name="Văn phòng Sở", kind="office")
        session.add(unit)
        session.flush()
        session.add(Officer(full_name="Lê Hùng", unit_id=unit.id, role="member", last_interaction_at=hanoi))
    with runtime.session(read_only=True) as session:
        stored = session.exec(select(Officer)).one().last_interaction_at
    assert stored == hanoi and stored.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused(runtime):
    with pytest.raises(Exception, match="naive"):
        with runtime.session() as session:
            unit = Unit(code="VP", name="Văn phòng Sở", kind="office")
            session.add(unit)
            session.flush()
            session.add(Officer(full_name="Lê Hùng", unit_id=unit.id, role="member",
                                last_interaction_at=datetime(2025, 2, 18, 13, 30)))


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'x.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


@both_databases
def test_migrating_twice_is_safe_and_the_models_match_the_migrations(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    init_db(engine)  # the fixture's database is migrated already: this is the second time
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_task_history_is_append_only(runtime):
    from storage.models import Notice, Task, TaskEvent, utcnow

    with runtime.session() as session:
        notice = Notice(content_hash="x", imported_at=utcnow())
        session.add(notice)
        session.flush()
        task = Task(notice_id=notice.id, ref="1.1", text="Sắp xếp phòng làm việc")
        session.add(task)
        session.flush()
        session.add(TaskEvent(task_id=task.id, at=utcnow(), action="created"))
    for change in ("update", "delete"):
        with pytest.raises(ValueError, match="append-only"):
            with runtime.session() as session:
                row = session.exec(select(TaskEvent)).one()
                if change == "update":
                    row.note = "sửa lịch sử"
                    session.add(row)
                else:
                    session.delete(row)
                session.flush()
    with runtime.session(read_only=True) as session:
        assert session.exec(select(TaskEvent)).one().note is None


@both_databases
def test_a_database_error_never_carries_the_values_it_was_given(engine):
    """Errors are logged with their message; the token pair (or anyone's data) must not be in it."""
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from storage.db import session_scope
    from storage.models import ZaloToken, utcnow

    row = {"id": 1, "access_token": "SECRET-ACCESS-TOKEN", "refresh_token": "SECRET-REFRESH-TOKEN",
           "expires_at": utcnow(), "updated_at": utcnow()}
    with pytest.raises(IntegrityError) as caught:
        with session_scope(engine) as session:
            session.execute(insert(ZaloToken).values(**row))
            session.execute(insert(ZaloToken).values(**row))
    assert "SECRET" not in str(caught.value)


def test_sqlite_files_are_readable_by_their_owner_only(tmp_path):
    """The database holds Zalo tokens and phone numbers: the file and its -wal/-shm are 0600."""
    path = tmp_path / "private" / "nhacviec.db"
    engine = make_engine(f"sqlite:///{path}")
    init_db(engine)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO unit (code, name, aliases, kind, active) VALUES ('A', 'A', '[]', 'office', 1)"))
        files = [path, path.with_name("nhacviec.db-wal"), path.with_name("nhacviec.db-shm")]
        assert all(f.exists() for f in files)
        assert {oct(f.stat().st_mode & 0o777) for f in files} == {"0o600"}
    engine.dispose()


def test_an_existing_world_readable_sqlite_file_is_narrowed_to_0600(tmp_path):
    path = tmp_path / "old.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    make_engine(f"sqlite:///{path}").dispose()
    assert path.stat().st_mode & 0o777 == 0o600


@both_databases
def test_busy_threads_reuse_the_connections_they_opened(settings, engine):
    """The sender's threads at work: a connection is opened once, not for each transaction."""
    busy = make_engine(settings.database_url)
    opened = []
    event.listen(busy, "connect", lambda *_: opened.append(1))
    start = threading.Barrier(12)

    def transactions(n: int):
        start.wait()
        time.sleep(0.003 * n)
        for _ in range(8):  # a transaction, then a pause (a Zalo call): others' turns interleave
            with session_scope(busy, read_only=True) as session:
                session.execute(text("SELECT 1"))
                time.sleep(0.02)
            time.sleep(0.02)

    threads = [threading.Thread(target=transactions, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    busy.dispose()
    assert len(opened) <= 12
