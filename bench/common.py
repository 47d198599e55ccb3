"""Shared benchmark set-up: a temp database with the sample directory, a running stand-in."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from config.settings import Settings
from storage.db import init_db, make_engine

SAMPLES = Path(__file__).resolve().parent.parent / "dev" / "samples"
CREDENTIALS = {
    "zalo_app_id": "bench-app",
    "zalo_app_secret": "bench-app-secret",
    "zalo_oa_secret_key": "bench-oa-secret",
    "zalo_oa_id": "bench-oa",
    "zalo_access_token": "bench-access",
    "zalo_refresh_token": "bench-refresh",
}


def temp_settings(**overrides) -> Settings:
    folder = Path(tempfile.mkdtemp(prefix="nhacviec-bench-"))
    overrides.setdefault("database_url", f"sqlite:///{folder / 'bench.db'}")
    return Settings(**CREDENTIALS, **overrides)


PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def postgres_database(name: str) -> str | None:
    """A fresh, empty PostgreSQL database `nhacviec_bench_<name>` (dropped first), or None when
    there is no server on 127.0.0.1:5432 (the PostgreSQL rows are then left out, and said so)."""
    from sqlalchemy import create_engine, text

    database = f"nhacviec_bench_{name}"
    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 2})
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{database}"'))
        admin.dispose()
    except Exception as error:  # noqa: BLE001 - no server: SQLite only
        print(f"PostgreSQL not reachable ({type(error).__name__}): its rows are left out")
        return None
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + database


RESULTS = Path(__file__).resolve().parent / "results.md"


def machine() -> str:
    """One line about the machine the numbers were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    memory = ""
    if Path("/proc/meminfo").exists():
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    return (f"{platform.node()}: {os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def write_section(key: str, title: str, lines: list[str]) -> None:
    """Replace (or add) the section `key` of bench/results.md, stamped with the machine and the time."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results (`make bench`)\n"
    start, end = f"<!-- {key} -->", f"<!-- /{key} -->"
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    stamp = (f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {machine()}; load average when "
             f"written {load} (other work shares this machine: numbers are a floor, the ratios the point).")
    section = "\n".join([start, f"## {title}", "", stamp, "", *lines, end])
    if start in text and end in text:
        text = text[:text.index(start)] + section + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def migrated_engine(settings: Settings):
    engine = make_engine(settings.database_url)
    init_db(engine)
    return engine


def start_standin(**config):
    """The Zalo stand-in on a free loopback port, with the benchmark credentials."""
    from dev.server import standin_config
    from dev.standin.app import create_standin_app
    from dev.standin.server import serve_in_thread

    app = create_standin_app(standin_config(Settings(**CREDENTIALS), **config))
    return app, serve_in_thread(app)


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def report(name: str, samples_ms: list[float], target_ms: float, pct: float) -> bool:
    value = percentile(samples_ms, pct)
    met = value < target_ms
    print(f"{name}: n={len(samples_ms)} median={statistics.median(samples_ms):.2f} ms "
          f"p{pct:g}={value:.2f} ms max={max(samples_ms):.2f} ms; target p{pct:g} < {target_ms} ms: "
          f"{'met' if met else 'NOT met'}")
    return met
