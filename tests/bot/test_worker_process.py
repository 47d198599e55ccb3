"""`nhacviec worker` alone: it handles and sends, and SIGTERM stops it promptly with the rest queued."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlmodel import func, select

from bot.serving import SENDER_NICE
from dev.processes import free_port, start_serve, wait_for
from storage.models import OutboxMessage
from zalo.messages import Outgoing
from zalo.outbox import enqueue_many

ROOT = Path(__file__).resolve().parents[2]


def _statuses(runtime) -> dict[str, int]:
    with runtime.session(read_only=True) as session:
        return dict(session.exec(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())


def test_sigterm_stops_the_worker_within_ten_seconds_and_unsent_messages_stay_queued(standin_factory, settings,
                                                                                       runtime, tmp_path):
    zalo = standin_factory(LATENCY=0.05)
    users = [f"80000000000000000{n:02d}" for n in range(40)]
    for user in users:
        zalo.state.touch(user)
    with runtime.session() as session:
        enqueue_many(session, [(f"k{n}", Outgoing(users[n % 40], f"tin {n}")) for n in range(3000)])
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": settings.database_url,
           "ZALO_APP_ID": settings.zalo_app_id, "ZALO_OA_SECRET_KEY": settings.zalo_oa_secret_key,
           **{k.upper(): str(v) for k, v in zalo.settings_overrides().items()}}
    worker = subprocess.Popen([sys.executable, "-m", "bot", "worker", "--no-scheduler"], cwd=tmp_path, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while _statuses(runtime).get("sent", 0) < 50 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _statuses(runtime).get("sent", 0) >= 50, "the worker sent nothing"
        stopped_at = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=15) == 0
        assert time.monotonic() - stopped_at < 10
    finally:
        worker.kill()
    statuses = _statuses(runtime)
    sent = statuses.get("sent", 0)
    assert sent == len(zalo.state.messages()) and sent < 3000
    # What was not begun stays queued for the next start; nothing is lost or uncertain.
    assert statuses.get("pending", 0) + statuses.get("claimed", 0) == 3000 - sent, statuses


def test_serve_starts_the_sending_below_the_web_and_the_events_in_cpu_priority(settings, engine, tmp_path):
    """Under load the web answers Zalo first: `serve`'s sending child (Zalo's limit paces it anyway)
    runs niced; the events child does not, as on SQLite it takes the webhook inbox's lock."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "DATABASE_URL": settings.database_url}
    server = start_serve(env, free_port())
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
        assert wait_for(lambda: len(children.read_text().split()) == 2, 10)
        niceness = {}
        for pid in children.read_text().split():
            role = "sending" if b"--no-events" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") else "events"
            niceness[role] = os.getpriority(os.PRIO_PROCESS, int(pid))
        web = os.getpriority(os.PRIO_PROCESS, server.pid)
        assert niceness == {"events": web, "sending": web + SENDER_NICE}
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=15) == 0
