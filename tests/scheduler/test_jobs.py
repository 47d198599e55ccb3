"""The scheduler's fixed jobs: ids, Vietnam's wall clock on every trigger, the token refresh."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import make_runtime
from scheduler.jobs import build_scheduler, token_refresh
from storage.models import ZaloToken

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def test_jobs_run_on_vietnam_wall_clock(runtime):
    scheduler = build_scheduler(runtime)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"sweep", "weekly-summary", "token-refresh"}
    assert str(scheduler.timezone) == "Asia/Ho_Chi_Minh"
    assert all(str(job.trigger.timezone) == "Asia/Ho_Chi_Minh" for job in jobs.values())
    # From Saturday 22/02 09:00 UTC, the summary is next due on Monday 24/02 at 07:00 in Vietnam.
    saturday = datetime(2025, 2, 22, 9, 0, tzinfo=ZoneInfo("UTC"))
    summary = jobs["weekly-summary"].trigger.get_next_fire_time(None, saturday)
    assert summary == datetime(2025, 2, 24, 7, 0, tzinfo=ZONE)
    # Every minute on the minute: 09:00 UTC is 16:00 in Vietnam.
    assert jobs["sweep"].trigger.get_next_fire_time(None, saturday) == datetime(2025, 2, 22, 16, 0, tzinfo=ZONE)


def test_background_scheduler_starts_and_stops(runtime):
    scheduler = build_scheduler(runtime)
    scheduler.start()
    try:
        assert {job.id for job in scheduler.get_jobs() if job.next_run_time} == {"sweep", "weekly-summary", "token-refresh"}
    finally:
        scheduler.shutdown(wait=False)


def test_token_refresh_replaces_an_expiring_pair(settings, engine, standin):
    runtime = make_runtime(settings.with_overrides(**standin.settings_overrides()), engine=engine)
    try:
        token_refresh(runtime)  # the pair seeded from settings has an unknown age: refreshed
        with runtime.session(read_only=True) as session:
            stored = session.get(ZaloToken, 1)
        assert stored.access_token != standin.access_token and stored.refresh_token != standin.refresh_token
        token_refresh(runtime)  # fresh now: left alone
        with runtime.session(read_only=True) as session:
            assert session.get(ZaloToken, 1).access_token == stored.access_token
    finally:
        runtime.stop()


def test_nhacviec_scheduler_stops_cleanly_when_the_service_manager_stops_it(tmp_path):
    """`systemctl stop` and `docker stop` send SIGTERM: the scheduler finishes and says so."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "DATABASE_URL": f"sqlite:///{tmp_path / 'nhacviec.db'}"}
    subprocess.run([sys.executable, "-m", "bot", "init-db"], cwd=tmp_path, env=env, check=True, capture_output=True)
    process = subprocess.Popen([sys.executable, "-m", "bot", "scheduler"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(30, process.kill)
    watchdog.start()
    try:
        assert process.stdout.readline().startswith("scheduler running")
        log = []
        while not log or "Scheduler started" not in log[-1]:  # the scheduler's own log reaches the operator
            log.append(process.stderr.readline())
            assert log[-1], "the scheduler stopped before it started"
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate()
    finally:
        watchdog.cancel()
        process.kill()
    assert all(" apscheduler." in line for line in log)  # and no one else's chatter
    assert process.returncode == 0, err
    assert out.strip() == "scheduler stopped"


def test_tick_waits_for_another_schedulers_lease_then_does_the_work(runner, runtime):
    """`tick --at` no longer does nothing when another scheduler is at work: it waits its turn."""
    from scheduler.sweep import LEASE_NAME
    from storage.leases import acquire_lease, release_lease

    assert acquire_lease(runtime.engine, LEASE_NAME, "someone-else", timedelta(minutes=5))
    threading.Timer(0.6, release_lease, args=(runtime.engine, LEASE_NAME, "someone-else")).start()
    started = time.monotonic()
    result = runner.invoke(["tick", "--at", "2025-02-17T09:00+07:00", "--wait", "10"])
    assert result.exit_code == 0, result.output
    assert "another scheduler" not in result.output and time.monotonic() - started >= 0.5


def test_tick_exits_non_zero_when_the_lease_never_comes(runner, runtime):
    from scheduler.sweep import LEASE_NAME
    from storage.leases import acquire_lease

    assert acquire_lease(runtime.engine, LEASE_NAME, "someone-else", timedelta(minutes=5))
    result = runner.invoke(["tick", "--at", "2025-02-17T09:00+07:00", "--wait", "0.5"])
    assert result.exit_code == 1 and "nothing done" in result.output


def test_eight_ticks_at_once_each_do_their_work(runtime):
    from scheduler.jobs import run_due_work_waiting

    results = []
    at = datetime(2025, 2, 17, 9, 0, tzinfo=ZONE)
    threads = [threading.Thread(target=lambda n=n: results.append(
        run_due_work_waiting(runtime, at + timedelta(minutes=n), timedelta(seconds=30)))) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8 and not any(r.stood_aside for r in results)
