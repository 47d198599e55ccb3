"""Shared benchmark set-up: a temp database with the sample directory, a running stand-in."""

from __future__ import annotations

import statistics
import tempfile
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
    return Settings(database_url=f"sqlite:///{folder / 'bench.db'}", **CREDENTIALS, **overrides)


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
