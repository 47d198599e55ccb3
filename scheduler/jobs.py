"""The scheduler: APScheduler 3.x with a small fixed set of jobs, each with an explicit id.

- `sweep`, every minute: reminders due now (and summaries not yet sent this week), then the outbox.
- `weekly-summary`, at the summary moment (Monday 07:00): the summaries, on time.
- `token-refresh`, every ten minutes: refresh the Zalo token pair before it expires.

Every job reads the real clock; `nhacviec tick --at` runs the sweep's work for any instant.
The zone is set on the scheduler and on every trigger, so the jobs keep Vietnam's wall clock
whatever the machine's zone is.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.sweep import run_due_work
from storage.db import beat
from storage.models import utcnow

log = logging.getLogger(__name__)

TOKEN_CHECK_EVERY = timedelta(minutes=10)
TOKEN_REFRESH_WITHIN = timedelta(hours=1)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def sweep(runtime) -> None:
    result = run_due_work(runtime, utcnow())
    if not result.stood_aside:
        beat(runtime.engine, "sweep", utcnow())  # `/healthz` reports how long ago
    if result.queued or result.summaries or result.missed:
        log.info("sweep: %s", result)


def weekly_summary(runtime) -> None:
    log.info("weekly summary: %s", run_due_work(runtime, utcnow(), reminders=False))


def token_refresh(runtime) -> None:
    if runtime.zalo.refresh_if_expiring(TOKEN_REFRESH_WITHIN):
        log.info("Zalo token pair refreshed ahead of expiry")


def run_due_work_waiting(runtime, at, wait: timedelta, poll_seconds: float = 0.25):
    """`run_due_work` at `at`, waiting up to `wait` while another scheduler holds the lease (it
    releases it when its sweep ends). The result says `stood_aside` if the lease never came."""
    deadline = time.monotonic() + wait.total_seconds()
    while True:
        result = run_due_work(runtime, at)
        remaining = deadline - time.monotonic()
        if not result.stood_aside or remaining <= 0:
            return result
        time.sleep(min(poll_seconds, remaining))


def build_scheduler(runtime):
    """A configured scheduler (not started): `.start()` it; `serve` and `nhacviec scheduler` do."""
    settings = runtime.settings
    zone = settings.zone
    scheduler = BackgroundScheduler(timezone=zone, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 50})
    at = settings.summary_time
    jobs = (
        ("sweep", sweep, CronTrigger(minute="*", timezone=zone)),
        ("weekly-summary", weekly_summary,
         CronTrigger(day_of_week=WEEKDAYS[settings.summary_weekday], hour=at.hour, minute=at.minute, timezone=zone)),
        ("token-refresh", token_refresh, IntervalTrigger(seconds=TOKEN_CHECK_EVERY.total_seconds(), timezone=zone)),
    )
    for job_id, function, trigger in jobs:
        scheduler.add_job(function, trigger, id=job_id, name=job_id, args=[runtime], replace_existing=True)
    return scheduler
