"""The command line of docs/operations.md: what an operator types, what they read back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlmodel import func, select

from storage.models import Officer

ROOT = Path(__file__).resolve().parents[2]


def nhacviec(*args, env_extra=None, tmp_path=None):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path or ROOT)}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=tmp_path or ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_init_db_creates_and_is_safe_to_repeat(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db' / 'n.db'}"}
    first = nhacviec("init-db", env_extra=env, tmp_path=tmp_path)
    again = nhacviec("init-db", env_extra=env, tmp_path=tmp_path)
    assert first.returncode == again.returncode == 0, first.stderr
    assert (tmp_path / "db" / "n.db").exists()


def test_directory_load_through_the_runner(runner, runtime):
    result = runner.invoke(["directory", "load", "--units", str(ROOT / "dev/samples/units.csv"),
                            "--officers", str(ROOT / "dev/samples/officers.csv")])
    assert result.exit_code == 0, result.output
    assert "officers: 13 added" in result.output
    again = runner.invoke(["directory", "load", "--units", str(ROOT / "dev/samples/units.csv"),
                           "--officers", str(ROOT / "dev/samples/officers.csv")])
    assert "officers: 0 added, 0 updated" in again.output
    with runtime.session(read_only=True) as session:
        assert session.exec(select(func.count()).select_from(Officer)).one() == 13


def test_a_failing_command_prints_one_line_on_stderr_and_exits_non_zero(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'n.db'}"}
    assert nhacviec("init-db", env_extra=env, tmp_path=tmp_path).returncode == 0
    missing = nhacviec("directory", "load", "--units", str(tmp_path / "none.csv"),
                       "--officers", str(tmp_path / "none.csv"), env_extra=env, tmp_path=tmp_path)
    assert missing.returncode != 0
    assert len(missing.stderr.strip().splitlines()) == 1
    assert "none.csv" in missing.stderr

    unreachable = nhacviec("init-db", env_extra={"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/x"},
                           tmp_path=tmp_path)
    assert unreachable.returncode != 0
    assert len(unreachable.stderr.strip().splitlines()) == 1


def test_commands_never_migrate_they_ask_for_init_db(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'n.db'}"}
    refused = nhacviec("directory", "load", "--units", str(ROOT / "dev/samples/units.csv"),
                       "--officers", str(ROOT / "dev/samples/officers.csv"), env_extra=env, tmp_path=tmp_path)
    assert refused.returncode != 0
    assert refused.stderr.strip().splitlines() == ["Error: the database (DATABASE_URL) is not set up or not up to date: "
                                                   "run `nhacviec init-db` first"]
    assert nhacviec("init-db", env_extra=env, tmp_path=tmp_path).returncode == 0
    loaded = nhacviec("directory", "load", "--units", str(ROOT / "dev/samples/units.csv"),
                      "--officers", str(ROOT / "dev/samples/officers.csv"), env_extra=env, tmp_path=tmp_path)
    assert loaded.returncode == 0, loaded.stderr


def test_python_dash_m_bot_and_the_console_script_agree():
    script = Path(sys.executable).parent / "nhacviec"
    listed = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0
    for command in ("init-db", "directory", "serve"):
        assert command in listed.stdout


def test_help_loads_neither_the_database_nor_the_web_layer():
    """`nhacviec --help` answers at once (docs: under 0.3 s; timed in `make bench`): what a command
    needs is imported when it runs, so the command line alone loads no SQLAlchemy, Flask or reader."""
    code = ("import sys; from bot.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'flask', 'notices', 'handlers', 'apscheduler') if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert "worker" in out and "HEAVY []" in out, out
