"""deploy/: the nightly dump restores into a working database; gunicorn serves the app factory."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlmodel import select

from dev.processes import free_port
from storage.directory import load_directory
from storage.models import Officer
from tests.conftest import SAMPLES
from tests.fixtures.db import PG_ADMIN_URL

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _pg_env(url: str) -> dict:
    parts = urlsplit(url.replace("postgresql+psycopg", "postgresql"))
    return {**os.environ, "PGHOST": parts.hostname or "127.0.0.1", "PGPORT": str(parts.port or 5432),
            "PGUSER": parts.username or "postgres"}


@pytest.mark.parametrize("db_backend", ["postgresql"], indirect=True)  # pg_dump is PostgreSQL's
def test_the_nightly_dump_restores_into_a_new_database_and_old_dumps_rotate(runtime, settings, tmp_path):
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    with runtime.session() as session:
        load_directory(session, SAMPLES / "units.csv", SAMPLES / "officers.csv")
        officers = len(session.exec(select(Officer)).all())
    env, database = _pg_env(settings.database_url), settings.database_url.rsplit("/", 1)[1]
    folder = tmp_path / "dumps"
    folder.mkdir()
    old = folder / f"{database}-20000101T000000Z.dump"
    old.write_bytes(b"old")
    os.utime(old, (time.time() - 30 * 86400,) * 2)
    dump = subprocess.run([DEPLOY / "backup.sh", database, folder, "14"], env=env, check=True,
                          capture_output=True, text=True).stdout.strip()
    assert Path(dump).exists() and not old.exists()
    assert Path(dump).stat().st_mode & 0o077 == 0  # the dump holds phone numbers and tokens
    copy = f"nhacviec_restore_{os.getpid()}"
    try:
        subprocess.run([DEPLOY / "restore.sh", dump, copy], env=env, check=True, capture_output=True)
        restored = create_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + copy)
        with restored.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM officer")).scalar() == officers
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        restored.dispose()
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", copy], env=env, capture_output=True)


def test_gunicorn_serves_the_app_factory_and_stops_on_sigterm(settings, engine, tmp_path):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": settings.database_url,
           "NHACVIEC_BIND": f"127.0.0.1:{port}", "NHACVIEC_WEB_WORKERS": "1", "NHACVIEC_WEB_THREADS": "2"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen([gunicorn, "-c", DEPLOY / "gunicorn.conf.py"], cwd=tmp_path, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, answer = time.monotonic() + 30, None
        while answer is None and time.monotonic() < deadline:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
            except requests.RequestException:
                time.sleep(0.2)
        assert answer is not None and answer.status_code == 200, answer
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=12) == 0
    finally:
        process.kill()
