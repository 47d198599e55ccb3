"""Serving the app (`nhacviec serve`): the web server, the worker, the sender and the scheduler.

How a long-running command stops, `nhacviec serve` and `nhacviec scheduler` alike: Ctrl+C and
SIGTERM (how systemd and docker stop a service) only set an Event. An exception raised by a
signal could land inside the web server's or the scheduler's locks and hang their shutdown; so
the main thread watches the Event and stops each part in turn, a sweep or a reply being sent
finishing first.
"""

from __future__ import annotations

import logging
import signal
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


def serve_forever(runtime: Runtime, *, host: str, port: int, with_scheduler: bool, wsgi_app=None,
                  make_server: Callable[..., StoppableServer] = WaitressServer) -> None:
    """Serve until Ctrl+C or SIGTERM, with the worker, the sender and (optionally) the scheduler.

    Production uses waitress; `make_server(app, host, port)` may replace it (the dev server needs
    header names with underscores, which waitress drops, for the Zalo stand-in's `access_token`).
    """
    stop = stop_on_signals()
    app = wsgi_app or create_app(runtime.settings, runtime=runtime)
    server = make_server(app, host, port)
    runtime.start_background()
    scheduler = build_scheduler(runtime) if with_scheduler else None
    if scheduler is not None:
        scheduler.start()
    serving = threading.Thread(target=server.serve_forever, name="wsgi")
    serving.start()
    try:
        wait_for_stop(stop, unless_ended=serving)
        log.info("stopping: finishing what is being sent")
    finally:
        if serving.is_alive():
            server.shutdown()
            serving.join()
        if scheduler is not None:
            scheduler.shutdown(wait=True)  # let a sweep that is sending finish first
        runtime.stop()
    if not stop.is_set():
        raise RuntimeError("the web server stopped by itself")
