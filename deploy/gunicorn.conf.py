"""gunicorn for Nhắc Việc's web process (deploy/nhacviec-web.service): `gunicorn -c deploy/gunicorn.conf.py`.

gthread workers serving the app factory; the background work (events, outbox, scheduler) runs in
`nhacviec worker` (deploy/nhacviec-worker.service), not here. Sized for a 2-core server: one
process per core plus one, each with threads for the requests that wait on the database.
"""

import multiprocessing
import os

wsgi_app = "bot:create_app()"
bind = os.environ.get("NHACVIEC_BIND", "127.0.0.1:8000")  # nginx in front (deploy/nginx-nhacviec.conf)
worker_class = "gthread"
workers = int(os.environ.get("NHACVIEC_WEB_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("NHACVIEC_WEB_THREADS", 8))
# Zalo waits 2 s for the webhook; the console's imports read files in their own process.
timeout = 60
graceful_timeout = 10  # SIGTERM: requests in flight finish within 10 s
keepalive = 5
# Headers and lines as nginx lets them through; bodies are bounded by nginx and by the app.
limit_request_line = 8190
limit_request_fields = 100
forwarded_allow_ips = "127.0.0.1"  # X-Forwarded-Proto from nginx only
accesslog = None  # nginx logs each request already (its default access log); a line here per request cost CPU
errorlog = "-"
loglevel = "info"
preload_app = False  # each worker builds its own engine and pool after the fork


def child_exit(server, worker):
    """Under PROMETHEUS_MULTIPROC_DIR, forget a dead worker's live gauges (bot/metrics.py)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
