"""Processes on loopback for tests and benchmarks: a free port, `nhacviec serve` started and
waited for until it answers `/healthz`, and waiting for what another process does."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import requests


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_serve(env: dict, port: int, timeout: float = 30) -> subprocess.Popen:
    """`nhacviec serve --no-scheduler` on `port`, run in `env["HOME"]`, once it answers."""
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--no-scheduler", "--port", str(port)],
                               cwd=env["HOME"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:  # a busy machine may answer slowly while starting: asked again until the deadline
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"nhacviec serve did not answer on port {port} within {timeout:.0f} s")


def wait_for(condition, seconds: float, every: float = 0.1) -> bool:
    """Whether `condition()` came true within `seconds` (asked every `every` seconds)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()
