"""Zalo's per-minute limit held across processes, on the real minute: three `nhacviec serve
--no-scheduler` processes and one `nhacviec tick` on PostgreSQL send the weekly summary of a
2,002-officer office with Zalo's limit set to 1,500 requests a minute in the stand-in (so the run
lasts well over a minute). Target: every summary once, nothing refused (-32), and no sliding
minute above the limit; the rate reached is shown beside the limit.

The test suite runs the same with the minute shortened (tests/zalo/test_shared_budget.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime

from sqlalchemy import func
from sqlmodel import select

from bench.bench_summary_rate import build
from bench.common import CREDENTIALS, postgres_database, start_standin
from bot import make_runtime
from config.settings import Settings
from dev.processes import free_port, start_serve, wait_for
from storage.db import init_db, make_engine
from storage.models import OutboxMessage

LIMIT = 1500
PROCESSES = 3


def _run(url: str, state, standin_url: str, folder: str) -> tuple[float, int, int]:
    settings = Settings(database_url=url, **CREDENTIALS)
    engine = make_engine(url)
    init_db(engine)
    runtime = make_runtime(settings, engine=engine)
    at = datetime(2025, 3, 3, 7, 0, tzinfo=settings.zone)
    build(runtime, at)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": folder, "DATABASE_URL": url,
           "CHART_DIR": folder + "/charts", "SEND_RATE_PER_MINUTE": str(LIMIT),
           "ZALO_API_BASE": standin_url, "ZALO_OAUTH_BASE": standin_url, "ZALO_BUSINESS_API_BASE": standin_url,
           **{k.upper(): v for k, v in CREDENTIALS.items()}}
    servers = [start_serve(env, free_port()) for _ in range(PROCESSES)]
    started = time.perf_counter()
    try:
        subprocess.run([sys.executable, "-m", "bot", "tick", "--at", at.isoformat()], cwd=folder, env=env,
                       check=True, capture_output=True, timeout=900)

        def unsent() -> int:
            with runtime.session(read_only=True) as session:
                return session.exec(select(func.count()).select_from(OutboxMessage)
                                    .where(OutboxMessage.status != "sent")).one()

        left = 0 if wait_for(lambda: not unsent(), 900, every=0.5) else unsent()
        elapsed = time.perf_counter() - started
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)
    with runtime.session(read_only=True) as session:
        rows = session.exec(select(OutboxMessage)).all()
    runtime.stop()
    engine.dispose()
    summaries = Counter(m["user_id"] for m in state.messages() if m["kind"] == "text")
    once = len({r.zalo_user_id for r in rows if r.kind == "summary"}) == len(summaries) and left == 0
    senders = len(Counter(r.owner for r in rows))
    return elapsed, senders, int(once)


def main() -> bool:
    url = postgres_database("shared_budget")
    if url is None:
        return True
    app, server = start_standin(RATE_LIMIT_PER_MINUTE=LIMIT, LATENCY=0.05)
    state = app.extensions["standin"]
    for u in range(51):
        for k in range(40):
            state.touch(f"z{u}-{k}")
    try:
        with tempfile.TemporaryDirectory(prefix="nhacviec-bench-") as folder:
            elapsed, senders, once = _run(url, state, server.url, folder)
    finally:
        server.stop()
    requests_made = len(state.arrivals)
    refused = requests_made - len(state.admitted)
    busiest = state.busiest_window()
    rate = requests_made * 60 / elapsed
    print(f"{PROCESSES} serve processes and a tick on PostgreSQL ({senders} sent): {requests_made} requests "
          f"in {elapsed:.0f} s, {rate:.0f}/minute on average; busiest sliding minute {busiest} "
          f"(limit {LIMIT}, {100 * busiest / LIMIT:.0f}%); {refused} refused; each summary once: {bool(once)}")
    met = bool(once) and refused == 0 and busiest <= LIMIT and elapsed >= 70
    print(f"target: every summary once, none refused, no minute above {LIMIT}, run >= 70 s: "
          f"{'met' if met else 'NOT met'}")
    return met


if __name__ == "__main__":
    main()
