"""Serving the app (`nhacviec serve`): the web server, the worker, the sender and the scheduler."""

from __future__ import annotations

import logging
import signal

from waitress import serve as waitress_serve

from bot import create_app
from scheduler.jobs import build_scheduler
from zalo.runtime import Runtime

log = logging.getLogger(__name__)


def stop_on_sigterm() -> None:
    """SIGTERM (how systemd and docker stop a service) handled as Ctrl+C: a clean stop, not a
    kill in the middle of sending."""

    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def serve_forever(runtime: Runtime, *, host: str, port: int, with_scheduler: bool, wsgi_app=None, serve=None) -> None:
    """Serve until interrupted, with the worker, the sender and (optionally) the scheduler.

    Production uses waitress; `serve` may replace it (the dev server needs header names with
    underscores, which waitress drops, for the Zalo stand-in's `access_token`).
    """
    if serve is None:

        def serve(app, host, port):
            waitress_serve(app, host=host, port=port, threads=8, ident="nhacviec")

    app = wsgi_app or create_app(runtime.settings, runtime=runtime)
    runtime.start_background()
    scheduler = None
    if with_scheduler:
        scheduler = build_scheduler(runtime)
        scheduler.start()
    stop_on_sigterm()
    try:
        serve(app, host, port)
    except KeyboardInterrupt:
        log.info("stopping: finishing what is being sent")
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=True)  # let a sweep that is sending finish first
        runtime.stop()
