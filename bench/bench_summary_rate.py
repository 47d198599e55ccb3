"""A summary to 2,000 officers goes out at no less than 90% of Zalo's 4,000 requests per minute,
and never above it, against the stand-in answering each request in 100 ms.

The weekly summaries of an office of 50 units of 40 officers (each with open work) and two
leaders (who also get the chart) are queued, then the outbox sender delivers them. The rate is
read from the stand-in's own log of accepted messages; the stand-in refuses (-32) anything
beyond 4,000 in a sliding minute, so "never above" means no refusal and no 10-second stretch
faster than 4,000 a minute.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from sqlalchemy import insert

from bench.bench_sweep import PER_UNIT, insert_office, officer_id
from bench.common import migrated_engine, start_standin, temp_settings
from bot import make_runtime
from scheduler.summaries import queue_weekly_summaries
from storage.models import Task, TaskAssignee, utcnow

UNITS = 50
LEADERS = 2
RATE = 4000
LATENCY = 0.1
STRETCH = 10.0  # seconds


def build(runtime, at: datetime) -> None:
    """One open task per member (named) and one per unit (its head's), all due next week."""
    now, today = utcnow(), at.astimezone(runtime.settings.zone).date()
    due = today + timedelta(days=4)
    with runtime.engine.begin() as connection:
        insert_office(connection, units=UNITS, today=today - timedelta(days=7), now=now, leaders=LEADERS)
        tasks, named = [], []
        for u in range(UNITS):
            for k in range(PER_UNIT):
                number = len(tasks) + 1
                tasks.append({"id": number, "notice_id": 1, "ref": f"{u}.{k}", "unit_id": u + 1, "unit_raw": "",
                              "assignees_raw": [], "coordinating_raw": [], "text": f"Nhiệm vụ {u}.{k} của đơn vị",
                              "deadline_kind": "on", "deadline_date": due, "published": True, "status": "open"})
                if k:
                    named.append({"task_id": number, "officer_id": officer_id(u, k)})
        connection.execute(insert(Task), tasks)
        connection.execute(insert(TaskAssignee), named)


def peak_per_minute(stamps: list[float], window: float) -> float:
    """The most requests in any `window` seconds (a half-open stretch), scaled to a minute."""
    most, start = 0, 0
    for end, stamp in enumerate(stamps):
        while stamp - stamps[start] >= window:
            start += 1
        most = max(most, end - start + 1)
    return most * 60 / window


def main() -> bool:
    standin_app, standin = start_standin(LATENCY=LATENCY, RATE_LIMIT_PER_MINUTE=RATE)
    state = standin_app.extensions["standin"]
    settings = temp_settings(zalo_api_base=standin.url, zalo_oauth_base=standin.url, send_rate_per_minute=RATE)
    settings = settings.with_overrides(chart_dir=str(settings.database_url.removeprefix("sqlite:///")) + "-charts")
    runtime = make_runtime(settings, engine=migrated_engine(settings))
    at = datetime(2025, 3, 3, 7, 0, tzinfo=settings.zone)  # a Monday, 07:00
    build(runtime, at)
    for u in range(UNITS + 1):
        for k in range(PER_UNIT):
            state.touch(f"z{u}-{k}")
    try:
        started = time.perf_counter()
        queued = queue_weekly_summaries(runtime, at)
        produced = time.perf_counter() - started
        started = time.perf_counter()
        handed = runtime.sender.deliver_due()
        elapsed = time.perf_counter() - started
    finally:
        runtime.stop()
        standin.stop()
    accepted = sorted(m["at"].timestamp() for m in state.messages())
    refused = state.request_count("/v3.0/oa/message/cs") - len(accepted)
    rate = (len(accepted) - 1) * 60 / (accepted[-1] - accepted[0])
    peak = peak_per_minute(accepted, STRETCH)
    print(f"{queued} summary messages queued in {produced:.1f} s; {handed} handed to Zalo in {elapsed:.1f} s "
          f"({len(accepted)} Zalo messages accepted: long texts go in parts; {refused} refused)")
    print(f"rate: {rate:.0f} requests/minute ({100 * rate / RATE:.1f}% of {RATE}); "
          f"busiest {STRETCH:.0f} s: {peak:.0f}/minute")
    met = handed == queued and refused == 0 and rate >= 0.9 * RATE and peak <= RATE
    print(f"target: >= {0.9 * RATE:.0f}/minute, never above {RATE}, nothing refused: {'met' if met else 'NOT met'}")
    return met


if __name__ == "__main__":
    main()
