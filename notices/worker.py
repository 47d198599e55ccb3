"""Every file is read in a worker process of its own, within limits (docs/notices.md, "Limits").

A file from outside may be built to exhaust whoever reads it, and the web process that receives
an upload also answers Zalo's webhook. So the caller never opens the file. A small server
process (`notices.server`), started once with the reader and its libraries loaded,
forks one worker per file; the worker sets resource limits on its memory and CPU time, reads,
sends back the `ParsedNotice` or its one-line refusal, and ends. Past its wall time it is
killed with whatever it started (OCR, antiword: its process group). The memory it used goes
with it, so the caller's memory does not grow with what it was given to read. Forking from that
server, not from the caller, copies none of the caller's threads or state, and never runs the
caller's main script again (multiprocessing's own forkserver would).

The server listens on a Unix socket in a private folder (mode 0700: no other user may connect);
it ends when its caller does (its standard input closes).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
from multiprocessing.connection import Client
from pathlib import Path

from notices.limits import Limits
from notices.model import NoticeError, ParsedNotice

log = logging.getLogger(__name__)

_lock = threading.Lock()
_server: tuple[subprocess.Popen, str] | None = None


def read_in_worker(path: Path, limits: Limits) -> ParsedNotice:
    """The notice in `path`, read in a worker process; NoticeError (one line) when refused."""
    with Client(_running_server(), family="AF_UNIX") as connection:
        connection.send((str(path.resolve()), limits))
        pid = connection.recv()
        answer, in_time = None, False
        try:
            in_time = connection.poll(limits.seconds)
            answer = connection.recv() if in_time else None
        except (EOFError, OSError):
            answer = None  # the worker died: a resource limit, or a crash in a native library
        finally:
            _kill_group(pid)
    if answer is None:
        reason = (f"đọc quá {limits.seconds:.0f} giây, đã dừng" if not in_time
                  else f"vượt giới hạn bộ nhớ ({limits.memory // 1024 // 1024} MB) hoặc tệp bị hỏng")
        raise NoticeError(f"{path.name}: không đọc được: {reason}")
    status, value = answer
    if status == "ok":
        return value
    if status == "failed":
        log.error("the notice reader failed on %s:\n%s", path.name, value)
        raise NoticeError(f"{path.name}: không đọc được: tệp hỏng hoặc không đúng định dạng")
    raise NoticeError(value)


def _kill_group(pid: int) -> None:
    """End the worker and what it started, if any of it is still running."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _running_server() -> str:
    """The fork server's address; the server is started on first use (and again if it ended)."""
    global _server
    with _lock:
        if _server is None or _server[0].poll() is not None:
            folder = tempfile.mkdtemp(prefix="nhacviec-reader-")  # 0700: no other user may connect
            address = os.path.join(folder, "socket")
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
            process = subprocess.Popen(
                [sys.executable, "-m", "notices.server", address], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                env=env, start_new_session=True,
            )
            if process.stdout.readline() != b"ready\n":
                process.kill()
                raise NoticeError("không khởi động được tiến trình đọc văn bản")
            _server = (process, address)
        return _server[1]
