"""No page of the console takes more than 300 ms on 50,000 tasks (p95 of each page, SQLite).

The scene is `bench_my_tasks`'s Sở after some years of use: 2,000 officers in 50 units, 50,000
published tasks (one in twenty open), 1,000 notices, tasks handed to officers and progress
reports; plus 5,000 outbox messages for the delivery log. Each page is asked through the Flask
app as a browser would (the console open to this machine, no password), 20 times after one
warm-up; its p95 must be under 300 ms. The bare `/healthz` is timed the same way first, as the
floor any page stands on. Downloads (a notice's .docx and .xlsx, and the workbook of everything)
are timed and shown beside them.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import timedelta

from sqlalchemy import bindparam, insert, select, update

from bench.bench_my_tasks import build
from bench.common import migrated_engine, percentile, report, temp_settings, write_section
from bot import create_app, make_runtime
from storage.models import OutboxMessage, ProgressReport, Task, TaskDelegate, utcnow
from tasks.text import fold

TARGET_MS = 300
ROUNDS = 20
PAGES = {
    "tổng quan": "/console/",
    "việc (tất cả)": "/console/tasks",
    "việc (tìm chữ)": "/console/tasks?q=tong+hop+bao+cao",
    "việc (tìm #số)": "/console/tasks?q=%2342000",
    "việc (quá hạn, theo hạn)": "/console/tasks?status=late&sort=deadline",
    "việc (một đơn vị, tuần này)": "/console/tasks?unit=7&due=week",
    "việc (xong trễ)": "/console/tasks?status=done_late",
    "việc (trang 900)": "/console/tasks?page=900",
    "một việc": "/console/tasks/42000",
    "nhập thông báo": "/console/import",
    "một thông báo": "/console/notices/700",
    "danh bạ": "/console/directory",
    "nhật ký gửi": "/console/deliveries",
    "nhật ký gửi (lọc tên)": "/console/deliveries?name=can+bo+7",
    "báo cáo": "/console/report",
}
# Files to download, not pages: timed and shown, without the pages' target.
DOWNLOADS = {
    "báo cáo một thông báo (.docx)": "/console/notices/700/report.docx",
    "báo cáo một thông báo (.xlsx)": "/console/report.xlsx?notice=700",
}


OFFICERS, TASKS = 2000, 50000


def fill(engine, zone) -> None:
    build(engine, zone, OFFICERS, TASKS)
    with engine.begin() as connection:
        texts = connection.execute(select(Task.id, Task.text)).all()
        connection.execute(update(Task.__table__).where(Task.__table__.c.id == bindparam("tid"))
                           .values(search_key=bindparam("key")), [{"tid": i, "key": fold(t)} for i, t in texts])
        rng, now = random.Random(3), utcnow()
        connection.execute(insert(OutboxMessage), [{
            "idempotency_key": f"bench:{n}", "zalo_user_id": f"z{n % 50}-{n % 40}", "officer_id": n % 2000 + 1,
            "kind": rng.choice(["reply", "reminder", "summary"]), "text": f"Tin số {n}", "buttons": [],
            "status": rng.choice(["sent", "sent", "sent", "held", "failed"]), "attempts": 1,
            "created_at": now - timedelta(minutes=n)} for n in range(5000)])


def handed_pages(engine) -> dict[str, str]:
    """The task list of one officer's hand-overs, and the page of a task handed over and reported on."""
    with engine.connect() as connection:
        officer = connection.execute(select(TaskDelegate.officer_id).where(TaskDelegate.revoked_at.is_(None))
                                     .limit(1)).scalar_one()
        task = connection.execute(select(ProgressReport.task_id).where(ProgressReport.task_id.in_(
            select(TaskDelegate.task_id).where(TaskDelegate.revoked_at.is_(None)))).limit(1)).scalar_one()
    return {"việc (giao cho một cán bộ)": f"/console/tasks?delegate={officer}",
            "một việc đã giao, có báo cáo tiến độ": f"/console/tasks/{task}"}


def timed(client, path: str, rounds: int = ROUNDS) -> list[float]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    samples = []
    for _ in range(rounds):
        begun = time.perf_counter()
        client.get(path)
        samples.append((time.perf_counter() - begun) * 1000)
    return samples


def main() -> bool:
    settings = temp_settings()
    engine = migrated_engine(settings)
    started = time.perf_counter()
    fill(engine, settings.zone)
    print(f"built {OFFICERS} officers, {TASKS} tasks, 5000 outbox messages in {time.perf_counter() - started:.1f} s")
    print("load average (1, 5, 15 min): " + ", ".join(f"{v:.1f}" for v in os.getloadavg())
          + f" on {os.cpu_count()} cores: times are wall-clock, other work on the machine counts in them")
    runtime = make_runtime(settings, engine=engine)
    client = create_app(settings, runtime=runtime).test_client()
    met, rows = True, []
    for name, path in {"(trần) /healthz, không đọc cơ sở dữ liệu": "/healthz", **PAGES, **handed_pages(engine)}.items():
        samples = timed(client, path)
        page_met = report(name, samples, TARGET_MS, 95)
        met = met and page_met
        rows.append(f"| {name} | {statistics.median(samples):.0f} ms | {percentile(samples, 95):.0f} ms "
                    f"| {'met' if page_met else 'NOT met'} |")
    write_section("console", "Console pages at 50,000 tasks (bench_console)",
                  [f"{OFFICERS:,} officers, {TASKS:,} tasks, 5,000 outbox messages; each page {ROUNDS} times "
                   "after a warm-up, through the Flask app; the bare /healthz first, as the floor.", "",
                   "| page | median | p95 | p95 < 300 ms |", "|---|---|---|---|", *rows])
    for name, path in DOWNLOADS.items():
        samples = []
        for _ in range(5):
            begun = time.perf_counter()
            assert client.get(path).status_code == 200, path
            samples.append((time.perf_counter() - begun) * 1000)
        print(f"{name} (tải về): median {sorted(samples)[2]:.0f} ms")
    begun = time.perf_counter()
    whole = client.get("/console/report.xlsx")
    print(f"báo cáo Excel toàn bộ {TASKS} việc (tải về, không phải trang): {time.perf_counter() - begun:.1f} s, "
          f"{len(whole.data) // 1024} KB")
    runtime.stop()
    engine.dispose()
    return met


if __name__ == "__main__":
    main()
