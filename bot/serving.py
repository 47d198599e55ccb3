"""Serving the app (`nhacviec serve`): the web server, the worker, the sender and the scheduler.

How a long-running command stops, `nhacviec serve` and `nhacviec scheduler` alike: Ctrl+C and
SIGTERM (how systemd and docker stop a service) only set an Event. An exception raised by a
signal could land inside the web server's or the scheduler's locks and hang their shutdown; so
the main thread watches the Event and stops each part in turn, a sweep or a reply being sent
finishing first.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Callable, Protocol

from waitress import create_server, wasyncore
from waitress.trigger import trigger

from bot import create_app
from scheduler.jobs import build_scheduler
from zalo.runtime import Runtime

log = logging.getLogger(__name__)

# How often the main thread looks at the stop Event.
STOP_POLL_SECONDS = 0.2
# A stop (SIGTERM) takes at most this long: the work in hand finishes, the rest stays queued.
STOP_WITHIN = 10
# The sending child (and the scheduler in it) yields the CPU to the web and the events: Zalo waits
# on the webhook's answer and officers on their replies, while Zalo's own limit paces the sending.
# Not the events child: on SQLite it takes the webhook inbox's write lock, and waiting for the CPU
# while holding it would hold up the webhook.
SENDER_NICE = 5


def stop_on_signals() -> threading.Event:
    """An Event that Ctrl+C (SIGINT) and SIGTERM set, and do nothing else; wait on it with `wait_for_stop`."""
    stop = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stop.set())
    return stop


def wait_for_stop(stop: threading.Event, *, unless_ended: threading.Thread | None = None) -> None:
    """Block the main thread until `stop` is set (or the thread `unless_ended` has ended).

    It polls rather than calling `stop.wait()`: a signal handler runs on the main thread, and
    `set()` takes the lock `wait()` would be holding there at that moment.
    """
    while not stop.is_set() and (unless_ended is None or unless_ended.is_alive()):
        time.sleep(STOP_POLL_SECONDS)


class StoppableServer(Protocol):
    """A WSGI server whose `shutdown()`, called from another thread, ends its `serve_forever()`."""

    def serve_forever(self) -> None: ...

    def shutdown(self) -> None: ...


class WaitressServer:
    """waitress, stopped from another thread through its own loop: requests in flight are finished,
    then every socket is closed, which ends the loop."""

    def __init__(self, app, host: str, port: int):
        self._sockets: dict = {}
        self._server = create_server(app, map=self._sockets, host=host, port=port, threads=8, ident="nhacviec")
        # Runs a callable on waitress's loop thread, the only thread that may touch its sockets.
        self._waker = trigger(self._sockets)

    def serve_forever(self) -> None:
        self._server.run()

    def shutdown(self) -> None:
        self._waker.pull_trigger(self._close)

    def _close(self) -> None:
        self._server.task_dispatcher.shutdown()
        wasyncore.close_all(self._sockets)


def start_worker_processes(with_scheduler: bool) -> list[subprocess.Popen]:
    """`nhacviec worker` as children of this process (they stop when it goes away): one handles the
    events; the other sends the outbox and runs the scheduler (whose sweep hands its messages to
    the sender of its own process). Each has its own GIL: in one process, the sender's threads
    left the event worker a fraction of the time."""
    command = [sys.executable, "-m", "bot", "worker", "--exit-with", str(os.getpid())]
    return [subprocess.Popen(command + ["--no-sender", "--no-scheduler"]),
            subprocess.Popen(command + ["--no-events"] + ([] if with_scheduler else ["--no-scheduler"]),
                             preexec_fn=lambda: os.nice(SENDER_NICE))]


def stop_worker_processes(children: list[subprocess.Popen]) -> None:
    for child in children:
        child.terminate()  # SIGTERM: it stops taking work and exits within STOP_WITHIN
    for child in children:
        try:
            child.wait(timeout=STOP_WITHIN + 2)
        except subprocess.TimeoutExpired:
            log.error("a worker did not stop in time: killed (what it was sending stays queued)")
            child.kill()
            child.wait()


def serve_forever(runtime: Runtime, *, host: str, port: int, with_scheduler: bool, wsgi_app=None,
                  make_server: Callable[..., StoppableServer] = WaitressServer, worker: str = "process") -> None:
    """Serve until Ctrl+C or SIGTERM, with the background work beside it.

    `worker`: "process" starts `nhacviec worker` as two children (the event worker; the sender
    and, with `with_scheduler`, the scheduler: each its own process, its own GIL); "threads" runs them in
    this process (the dev server); "none" serves the web only (another host runs the worker).
    Production uses waitress; `make_server(app, host, port)` may replace it (the dev server needs
    header names with underscores, which waitress drops, for the Zalo stand-in's `access_token`).
    """
    stop = stop_on_signals()
    app = wsgi_app or create_app(runtime.settings, runtime=runtime)
    server = make_server(app, host, port)
    children = start_worker_processes(with_scheduler) if worker == "process" else []
    background = None
    if worker == "threads":
        background = Background(runtime, with_scheduler=with_scheduler)
    serving = threading.Thread(target=server.serve_forever, name="wsgi")
    serving.start()
    try:
        wait_for_stop(stop, unless_ended=serving)
        log.info("stopping")
    finally:
        if serving.is_alive():
            server.shutdown()
            serving.join()
        if background is not None:
            background.stop()
        stop_worker_processes(children)
    if not stop.is_set():
        raise RuntimeError("the web server stopped by itself")


class Background:
    """The event worker, the outbox sender and (optionally) the scheduler of one process, started."""

    def __init__(self, runtime: Runtime, *, with_scheduler: bool, events: bool = True, outbox: bool = True):
        self.runtime = runtime
        runtime.start_background(events=events, outbox=outbox)
        self.scheduler = build_scheduler(runtime) if with_scheduler else None
        if self.scheduler is not None:
            self.scheduler.start()

    def stop(self) -> None:
        """Stop taking work first (the sender leaves what it has not begun queued), then wait for
        the parts: a message being handed to Zalo, or a sweep's transaction, finishes."""
        self.runtime.stopping.set()
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=True)
        self.runtime.stop()


def run_worker(runtime: Runtime, *, with_scheduler: bool, exit_with: int | None = None, events: bool = True,
               outbox: bool = True) -> None:
    """`nhacviec worker`: the background work alone, until SIGTERM/Ctrl+C (or its parent is gone)."""
    stop = stop_on_signals()
    background = Background(runtime, with_scheduler=with_scheduler, events=events, outbox=outbox)
    watcher = None
    if exit_with is not None:
        watcher = threading.Thread(target=_set_when_gone, args=(exit_with, stop), name="parent", daemon=True)
        watcher.start()
    try:
        wait_for_stop(stop)
        log.info("worker stopping: what is not sent stays queued")
    finally:
        background.stop()


def _set_when_gone(pid: int, stop: threading.Event) -> None:
    while not stop.is_set():
        if os.getppid() != pid:
            stop.set()
        time.sleep(STOP_POLL_SECONDS)
