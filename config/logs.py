"""One logging set-up for every entry point (app factory, serve, worker, scheduler, `make run`).

Our own packages log at INFO; libraries only say warnings, so a PDF's font subsetting or the
scheduler's job bookkeeping does not bury what the bot did. Secrets never reach a log: the
modules that handle tokens log their fact, never their value.
"""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Also the web server's "Serving on …" and the scheduler's start and stop (not each job's run).
OURS = ("bot", "config", "storage", "tasks", "zalo", "notices", "handlers", "scheduler", "console", "dev", "waitress",
        "apscheduler.scheduler")


def configure_logging() -> None:
    logging.basicConfig(level=logging.WARNING, format=FORMAT)
    for name in OURS:
        logging.getLogger(name).setLevel(logging.INFO)
