"""The servers `bench_throughput` measures, each with a bare Flask endpoint beside the app.

`python -m bench.throughput_server serve PORT`: `nhacviec serve` as shipped (waitress, the worker
in a child process), the app and `/bare/ping` on the same server. `bench.throughput_server:gunicorn_app`
is the same pair for gunicorn (deploy/gunicorn.conf.py), beside a separate `nhacviec worker`.
The Zalo stand-in runs in its own process: `python -m bench.throughput_server standin LATENCY`.
"""

from __future__ import annotations

import os
import sys
import time

from flask import Flask, jsonify, request
from werkzeug.middleware.dispatcher import DispatcherMiddleware


def bare_app() -> Flask:
    """The ceiling: a Flask endpoint that reads the body and answers as the webhook does, nothing else."""
    bare = Flask("bare")

    @bare.post("/ping")
    def ping():
        request.get_data()
        return jsonify({"message": "ok"})

    return bare


def with_bare(app):
    return DispatcherMiddleware(app, {"/bare": bare_app()})


def serve(port: int) -> None:
    from bot import create_app, make_runtime
    from bot.serving import serve_forever
    from config.settings import load_settings

    runtime = make_runtime(load_settings())
    app = with_bare(create_app(runtime.settings, runtime=runtime))
    serve_forever(runtime, host="127.0.0.1", port=port, with_scheduler=False, wsgi_app=app,
                  worker=os.environ.get("BENCH_WORKER", "process"))


def standin(latency: float, users: list[str]) -> None:
    """The stand-in at Zalo's limits, answering each send in `latency` s; `users` wrote to the OA
    just now (inside Zalo's 7-day window)."""
    from bench.common import start_standin

    app, server = start_standin(LATENCY=latency)
    for user in users:
        app.extensions["standin"].touch(user)
    print(server.url, flush=True)
    while True:
        time.sleep(3600)


def __getattr__(name: str):
    """`gunicorn_app`, built when gunicorn imports it (in each worker, after the fork)."""
    if name == "gunicorn_app":
        from bot import create_app

        return with_bare(create_app())
    raise AttributeError(name)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        standin(float(sys.argv[2]), sys.argv[3:])
