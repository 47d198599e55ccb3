"""The webhook beside its ceiling: signed "việc của tôi" events at 1, 8 and 32 concurrent clients and
at a fixed 200 events/s, to the app and to a bare Flask endpoint on the same server in the same
run, for `nhacviec serve` (SQLite, PostgreSQL) and gunicorn + `nhacviec worker` (PostgreSQL,
SQLite). Reported: accepted/s, handled/s (the worker, read from the database), p50/p99, the ratio
to the bare endpoint, and how long the backlog took to clear after the load stopped. The Zalo
stand-in answers each send in 50 ms, in its own process; the load generator is this process.

Done when (issue 12): SQLite + serve at 8 clients: accepted/s >= 0.3x bare, p99 < 100 ms, handled
keeps up; PostgreSQL + gunicorn (3 workers) + a worker: 200 events/s for 30 s, p99 < 100 ms, none
over 2 s, backlog cleared within 2 s of the end. Those two are judged (`verdict`); the other set-ups
and loads are shown beside them, the last one offering 0.3x the bare endpoint's 8-client rate. The
judged loads run BENCH_FIXED_SECONDS (30), the others BENCH_SECONDS (10).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPException
from pathlib import Path
from urllib.parse import urlsplit

import requests
from sqlalchemy import func
from sqlmodel import select

from bench.common import CREDENTIALS, migrated_engine, percentile, postgres_database, temp_settings, write_section
from dev.processes import free_port
from dev.standin.hashing import signature_header
from storage.inbox import waiting
from storage.models import InboundEvent

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_SECONDS", 10))
FIXED_SECONDS = float(os.environ.get("BENCH_FIXED_SECONDS", 30))
CLIENTS = (1, 8, 32)
JUDGED_CLIENTS = 8
RATE = 200
FIXED = f"{RATE}/s fixed"
USERS = [f"50000000000000000{n:02d}" for n in (1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 13)]


@dataclass
class Load:
    label: str
    sent: int
    accepted: int
    seconds: float
    latencies: list[float]

    @property
    def per_second(self) -> float:
        return self.accepted / self.seconds

    def p(self, pct: float) -> float:
        return percentile(self.latencies, pct) if self.latencies else float("nan")


def signed(n: int) -> tuple[bytes, dict]:
    stamp = str(int(time.time() * 1000))
    event = {"app_id": CREDENTIALS["zalo_app_id"], "event_name": "user_send_text", "timestamp": stamp,
             "sender": {"id": USERS[n % len(USERS)]}, "recipient": {"id": CREDENTIALS["zalo_oa_id"]},
             "message": {"msg_id": f"bench-{n}-{time.monotonic_ns()}", "text": "việc của tôi"}}
    raw = json.dumps(event, ensure_ascii=False).encode()
    return raw, {"X-ZEvent-Signature": signature_header(CREDENTIALS["zalo_app_id"], raw, stamp,
                                                         CREDENTIALS["zalo_oa_secret_key"]),
                 "Content-Type": "application/json"}


_counter = iter(range(10**9))
_local = threading.local()


def post(url: str) -> tuple[bool, float]:
    """POST one signed event on this thread's kept-alive connection: (answered 200, milliseconds).
    http.client rather than requests: the load generator shares the machine, and requests spent
    twice the CPU per request."""
    parts = urlsplit(url)
    http = getattr(_local, "http", None)
    if http is None:
        http = _local.http = HTTPConnection(parts.hostname, parts.port, timeout=10)
    raw, headers = signed(next(_counter))
    started = time.perf_counter()
    try:
        http.request("POST", parts.path, body=raw, headers=headers)
        response = http.getresponse()
        response.read()
        ok = response.status == 200
    except (OSError, HTTPException):
        http.close()  # reconnects on the next request
        ok = False
    return ok, (time.perf_counter() - started) * 1000


def closed_loop(url: str, clients: int, seconds: float, label: str) -> Load:
    """`clients` threads, each posting as soon as the previous answer came."""
    results: list[tuple[bool, float]] = []
    end = time.monotonic() + seconds

    def client():
        while time.monotonic() < end:
            results.append(post(url))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return Load(label, len(results), sum(ok for ok, _ in results), elapsed, [ms for _, ms in results])


def fixed_rate(url: str, rate: int, seconds: float, label: str) -> Load:
    """Open loop: a request every 1/rate s whatever the answers; latency counted from when it was due."""
    results: list[tuple[bool, float]] = []
    started = time.monotonic()
    total = int(rate * seconds)

    def one(due: float):
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        ok, _ = post(url)
        results.append((ok, (time.monotonic() - due) * 1000))

    with ThreadPoolExecutor(max_workers=64) as pool:
        for n in range(total):
            due = started + n / rate
            while due - time.monotonic() > 0.05:
                time.sleep(0.01)
            pool.submit(one, due)
    elapsed = time.monotonic() - started
    return Load(label, len(results), sum(ok for ok, _ in results), elapsed, [ms for _, ms in results])


def handled(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(InboundEvent)
                                  .where(InboundEvent.status != "pending")).scalar()


def pending(engine) -> int:
    """Events not handled yet: pending in the database, and on SQLite still in the webhook's inbox."""
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(InboundEvent)
                                  .where(InboundEvent.status == "pending")).scalar() + waiting(engine)[0]


# Beside gunicorn: `nhacviec worker --no-sender` processes for the events (several share the queue on
# PostgreSQL: SKIP LOCKED) and one `nhacviec worker --no-events` for the outbox, each its own GIL.
WORKERS = int(os.environ.get("BENCH_WORKERS", 1))
WORKER_NICE = int(re.search(r"^Nice=(\d+)$", (ROOT / "deploy" / "nhacviec-worker.service").read_text(), re.M)[1])
DRAIN_LIMIT = float(os.environ.get("BENCH_DRAIN_LIMIT", 60))
SETUPS = [tuple(pair.split("+")) for pair in os.environ.get(
    "BENCH_SETUPS", "SQLite+serve,PostgreSQL+serve,PostgreSQL+gunicorn,SQLite+gunicorn").split(",")]


def drain(engine, limit: float = DRAIN_LIMIT) -> float:
    """Seconds until no event waits (the backlog after the load), at most `limit`."""
    started = time.monotonic()
    while pending(engine) and time.monotonic() - started < limit:
        time.sleep(0.05)
    return time.monotonic() - started


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(child) for child in found]


def process_groups(setup: "Setup", standin_pid: int) -> dict[str, list[int]]:
    """Who shares the machine's CPU during a load: the set-up's processes (with their children),
    PostgreSQL's, the stand-in, and this load generator."""
    groups: dict[str, list[int]] = {}
    for process in setup.processes:
        args = " ".join(map(str, process.args))
        name = ("events" if "--no-sender" in args else "sender" if "--no-events" in args
                else "web + worker" if setup.server == "serve" else "web")
        groups.setdefault(name, []).extend([process.pid, *_children(process.pid)])
    postgres = subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True).stdout.split()
    if setup.database == "PostgreSQL" and postgres:
        groups["PostgreSQL"] = [int(pid) for pid in postgres]
    groups["stand-in"] = [standin_pid]
    groups["load generator"] = [os.getpid()]
    return groups


def cpu_use(groups: dict[str, list[int]]) -> dict[str, float]:
    return {name: sum(_cpu_seconds(pid) for pid in pids) for name, pids in groups.items()}


@dataclass
class Setup:
    database: str
    server: str
    env: dict
    engine: object
    processes: list


def start(database: str, server: str, standin_url: str) -> Setup | None:
    """A fresh database with the sample office, and the server processes (waiting until they answer)."""
    url = None
    if database == "PostgreSQL":
        url = postgres_database(f"throughput_{server}")
        if url is None:
            return None
    settings = temp_settings(**({"database_url": url} if url else {}))
    engine = migrated_engine(settings)
    from bot import make_runtime
    from dev.server import prepare_samples

    prepare_samples(make_runtime(settings, engine=engine))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": settings.database_url,
           **{k.upper(): v for k, v in CREDENTIALS.items()}, "ZALO_API_BASE": standin_url,
           "ZALO_OAUTH_BASE": standin_url, "ZALO_BUSINESS_API_BASE": standin_url}
    port = free_port()
    env["BENCH_PORT"] = str(port)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env, "cwd": ROOT}
    if server == "serve":
        processes = [subprocess.Popen([sys.executable, "-m", "bench.throughput_server", "serve", str(port)], **quiet)]
    else:
        env.update(NHACVIEC_BIND=f"127.0.0.1:{port}", NHACVIEC_WEB_WORKERS="3")
        # As deployed (PostgreSQL): the worker's unit yields the CPU to the web's. Not on SQLite, whose
        # events process takes the webhook inbox's lock (bot.serving.SENDER_NICE).
        background = {"preexec_fn": lambda: os.nice(WORKER_NICE)} if database == "PostgreSQL" else {}
        gunicorn = Path(sys.executable).with_name("gunicorn")
        processes = [subprocess.Popen([gunicorn, "-c", ROOT / "deploy" / "gunicorn.conf.py",
                                       "bench.throughput_server:gunicorn_app"], **quiet),
                     *(subprocess.Popen([sys.executable, "-m", "bot", "worker", "--no-scheduler", "--no-sender"],
                                        **quiet, **background) for _ in range(WORKERS if database == "PostgreSQL" else 1)),
                     subprocess.Popen([sys.executable, "-m", "bot", "worker", "--no-scheduler", "--no-events"],
                                      **quiet, **background)]
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.post(base + "/bare/ping", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)
    time.sleep(2)  # the worker process starts after the web answers
    return Setup(database, server, env | {"BASE": base}, engine, processes)


def stop(setup: Setup) -> None:
    for process in setup.processes:
        process.send_signal(signal.SIGTERM)
    for process in setup.processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    setup.engine.dispose()


def measure(setup: Setup, standin_pid: int) -> tuple[list[str], str, Verdict | None]:
    """Every load on the bare endpoint, then on the webhook; one table row per load, where the CPU
    went during the fixed 200 events/s (until its backlog was cleared), and the set-up's verdict.
    The last load offers 0.3x the bare endpoint's 8-client rate for FIXED_SECONDS."""
    loads = [(f"{c} client{'s' if c > 1 else ''}",
              lambda url, c=c: closed_loop(url, c, FIXED_SECONDS if c == JUDGED_CLIENTS else SECONDS, ""))
             for c in CLIENTS]
    loads.append((FIXED, lambda url: fixed_rate(url, RATE, FIXED_SECONDS, "")))
    rows, results, spent = [], {}, ""
    for label, run in loads:
        row, results[label], cpu = measure_load(setup, standin_pid, label, run)
        rows.append(row)
        spent = cpu if label == FIXED else spent
    rate = round(0.3 * results[f"{JUDGED_CLIENTS} clients"].bare.per_second)
    rows.append(measure_load(setup, standin_pid, f"{rate}/s fixed (0.3× bare)",
                             lambda url: fixed_rate(url, rate, FIXED_SECONDS, ""))[0])
    print(spent, flush=True)
    return rows, spent, verdict(setup, results)


@dataclass
class Result:
    """One load on the bare endpoint and on the webhook, and what the worker made of it."""

    bare: Load
    app: Load
    handled_per_second: float
    cleared: float  # seconds after the load until no event waited
    left: int  # events still waiting when the drain gave up

    @property
    def ratio(self) -> float:
        return self.app.per_second / self.bare.per_second

    @property
    def over_2s(self) -> int:
        return sum(ms > 2000 for ms in self.app.latencies)


@dataclass
class Verdict:
    line: str
    met: bool

    def __str__(self) -> str:
        return f"{self.line}: {'met' if self.met else 'NOT met'}"


def verdict(setup: Setup, results: dict[str, Result]) -> Verdict | None:
    """Issue 12's targets for the set-up; None if it has none."""
    if (setup.database, setup.server) == ("SQLite", "serve"):
        r = results[f"{JUDGED_CLIENTS} clients"]
        return Verdict(
            f"target ({setup.database} {setup.server}, {JUDGED_CLIENTS} clients for {r.app.seconds:.0f} s): "
            f"accepted {r.ratio:.2f}x bare (>= 0.3), p99 {r.app.p(99):.1f} ms (< 100), handled "
            f"{r.handled_per_second:.0f}/s of {r.app.per_second:.0f}/s accepted, backlog cleared "
            f"{r.cleared:.1f} s after (keeps up)",
            r.ratio >= 0.3 and r.app.p(99) < 100 and r.handled_per_second >= 0.9 * r.app.per_second
            and not r.left and r.cleared <= 2)
    if (setup.database, setup.server) == ("PostgreSQL", "gunicorn"):
        r = results[FIXED]
        return Verdict(
            f"target ({setup.database} {setup.server}, {RATE}/s for {FIXED_SECONDS:.0f} s): "
            f"{r.app.accepted:,} of {RATE * FIXED_SECONDS:,.0f} accepted, p99 {r.app.p(99):.1f} ms (< 100), "
            f"{r.over_2s} over 2 s (none), backlog cleared {r.cleared:.1f} s after (<= 2 s)",
            r.app.accepted >= RATE * FIXED_SECONDS and r.app.p(99) < 100 and not r.over_2s
            and not r.left and r.cleared <= 2)
    return None


def measure_load(setup: Setup, standin_pid: int, label: str, run) -> tuple[str, Result, str]:
    """One load on the bare endpoint, then on the webhook until its backlog is cleared: the table
    row, the result, and the CPU per handled event."""
    base = setup.env["BASE"]
    bare = run(base + "/bare/ping")
    groups = process_groups(setup, standin_pid)
    before, cpu_before = handled(setup.engine), cpu_use(groups)
    app = run(base + "/zalo/webhook")
    during = handled(setup.engine) - before
    cleared = drain(setup.engine)
    left = pending(setup.engine)
    cpu = cpu_line(cpu_before, cpu_use(groups), handled(setup.engine) - before)
    result = Result(bare, app, during / app.seconds, cleared, left)
    row = (f"| {setup.database} | {setup.server} | {label} | {bare.per_second:.0f} | {app.per_second:.0f} "
           f"| {result.ratio:.2f} | {result.handled_per_second:.0f} "
           f"| {f'{cleared:.1f} s' if not left else f'not in {cleared:.0f} s ({left} left)'} "
           f"| {app.p(50):.1f} / {app.p(99):.1f} ms | {bare.p(50):.1f} / {bare.p(99):.1f} ms "
           f"| {result.over_2s} | {app.sent - app.accepted} |")
    print(row, flush=True)
    return row, result, cpu


def cpu_line(before: dict[str, float], after: dict[str, float], events: int) -> str:
    """CPU milliseconds per handled event, by process group, and the rate they allow on this machine."""
    per_event = {name: (after[name] - before[name]) * 1000 / max(events, 1) for name in before}
    total = sum(per_event.values())
    cores = os.cpu_count() or 1
    parts = ", ".join(f"{name} {ms:.1f}" for name, ms in per_event.items())
    return (f"CPU per handled event at {RATE}/s ({events} events, until cleared): {parts}; in all {total:.1f} ms, "
            f"so this machine's {cores} cores handle at most {cores * 1000 / total:.0f} events/s.")


HEADER = ["| database | server | load | bare req/s | webhook accepted/s | ratio | handled/s during | backlog cleared "
          "after | webhook p50 / p99 | bare p50 / p99 | > 2 s | not 200 |",
          "|---|---|---|---|---|---|---|---|---|---|---|---|"]


def main() -> bool:
    standin = subprocess.Popen([sys.executable, "-m", "bench.throughput_server", "standin", "0.05", *USERS],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    standin_url = standin.stdout.readline().strip()
    rows, verdicts = list(HEADER), []
    try:
        for database, server in SETUPS:
            setup = start(database, server, standin_url)
            if setup is None:
                rows.append(f"| {database} | {server} | not measured: no PostgreSQL on 127.0.0.1:5432 |")
                continue
            try:
                measured, spent, judged = measure(setup, standin.pid)
            finally:
                stop(setup)
            rows += measured
            verdicts += [judged] if judged else []
            write_rows(f"{database} {server}", measured, spent, judged)
    finally:
        standin.kill()
    print("\n".join(rows + [str(v) for v in verdicts]))
    return all(v.met for v in verdicts)


def write_rows(setup: str, rows: list[str], spent: str, judged: Verdict | None) -> None:
    """Written after each set-up, in its own section, so a long run (or a rerun of one) keeps the rest."""
    write_section(f"throughput {setup}", f"The webhook beside a bare Flask endpoint: {setup} (bench_throughput)",
                  [f"{FIXED_SECONDS:g} s at {JUDGED_CLIENTS} clients and at the fixed rates, {SECONDS:g} s at the other "
                   "closed loops; the Zalo stand-in "
                   "answers each send in 50 ms; load generator, servers and stand-in share the machine. "
                   "«handled/s during»: events the worker finished while the load ran (beside gunicorn: "
                   f"{WORKERS} `nhacviec worker --no-sender` for the events, one `--no-events` for the outbox).", "", *HEADER, *rows, "",
                   spent + "  ", *([str(judged)] if judged else [])])


if __name__ == "__main__":
    main()
