"""Several processes share Zalo's request budget and the outbox (docs/zalo.md, rate limit):
three `nhacviec serve` processes and a `tick` on PostgreSQL send a 2,000-officer summary, each
message once, and no window of Zalo's rate limit sees more requests than it allows.

Zalo's minute is shortened to a few seconds here (`SEND_RATE_WINDOW_SECONDS`, the stand-in's
`RATE_WINDOW_SECONDS`) so the test takes seconds, not minutes; `make bench` runs the real minute.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import datetime

import pytest
from sqlalchemy import func
from sqlmodel import select

from bench.bench_summary_rate import LEADERS, UNITS, build
from bench.bench_sweep import PER_UNIT
from bot import make_runtime
from dev.processes import free_port, start_serve
from storage.models import OutboxMessage
from tests.bot.test_crash import wait_for
from zalo.client import split_text

LIMIT, WINDOW = 600, 6.0


@pytest.mark.parametrize("db_backend", ["postgresql"], indirect=True)
def test_three_web_processes_and_a_tick_send_a_summary_once_each_within_zalos_limit(
        settings, engine, standin_factory, tmp_path):
    standin = standin_factory(RATE_LIMIT_PER_MINUTE=LIMIT, RATE_WINDOW_SECONDS=WINDOW)
    runtime = make_runtime(settings, engine=engine)
    at = datetime(2025, 3, 3, 7, 0, tzinfo=settings.zone)  # a Monday, 07:00: the summaries' moment
    build(runtime, at)
    runtime.stop()
    for u in range(UNITS + 1):
        for k in range(PER_UNIT):
            standin.state.touch(f"z{u}-{k}")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
           "DATABASE_URL": settings.database_url, "CHART_DIR": str(tmp_path / "charts"),
           "SEND_RATE_PER_MINUTE": str(LIMIT), "SEND_RATE_WINDOW_SECONDS": str(WINDOW),
           **{k.upper(): v for k, v in standin.settings_overrides().items()}}
    servers = [start_serve(env, free_port()) for _ in range(3)]
    try:
        tick = subprocess.run([sys.executable, "-m", "bot", "tick", "--at", at.isoformat()], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300)
        assert tick.returncode == 0, tick.stderr

        def all_sent() -> bool:
            with runtime.session(read_only=True) as session:
                return not session.exec(select(func.count()).select_from(OutboxMessage)
                                        .where(OutboxMessage.status != "sent")).one()
        assert wait_for(all_sent, 120)
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)

    with runtime.session(read_only=True) as session:
        rows = session.exec(select(OutboxMessage)).all()
    assert len({r.zalo_user_id for r in rows if r.kind == "summary"}) == UNITS * PER_UNIT + LEADERS
    senders = Counter(r.owner for r in rows)
    assert len(senders) >= 3 and all(r.lease_until is None for r in rows)  # shared out; no claim left behind
    expected = Counter((r.zalo_user_id, part) for r in rows if r.kind != "image" for part in split_text(r.text))
    arrived = Counter((m["user_id"], m["text"]) for m in standin.state.messages() if m["kind"] == "text")
    assert arrived == expected  # each summary once, every part of it once
    assert sum(m["kind"] == "image" for m in standin.state.messages()) == LEADERS
    busiest = standin.state.busiest_window()
    refused = len(standin.state.arrivals) - len(standin.state.admitted)
    print(f"messages per sending process: {sorted(senders.values())}; {len(standin.state.arrivals)} requests; busiest {WINDOW:g} s window: {busiest} (limit {LIMIT}); "
          f"{refused} refused")
    assert busiest <= LIMIT and refused == 0
