"""The fork server of `notices.worker`: one worker process per file, each within limits.

Run as `python -m notices.server ADDRESS` by `notices.worker`, which it serves until the
caller's pipe (its standard input) closes. It is single-threaded, so forking it is safe.
"""

from __future__ import annotations

import gc
import os
import resource
import selectors
import shutil
import signal
import socket
import sys
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

from notices.model import NoticeError
from notices.reading import read_file


def serve(address: str) -> None:
    """Accept one connection per file and fork a worker for it, until the caller's pipe closes."""
    # imported when the server starts: loaded once here, every worker forked from it has them
    import docx  # noqa: F401
    import pdfplumber  # noqa: F401
    import pypdfium2  # noqa: F401
    from PIL import Image  # noqa: F401

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(64)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the system
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    selector.register(sys.stdin.buffer, selectors.EVENT_READ)
    gc.freeze()  # what is loaded now is shared with every worker: the collector never touches (copies) it
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    try:
        while True:
            for ready, _ in selector.select():
                if ready.fileobj is sys.stdin.buffer:
                    if not os.read(sys.stdin.fileno(), 64):
                        return
                    continue
                accepted, _ = listener.accept()
                if os.fork() == 0:
                    try:
                        listener.close()
                        _work(Connection(accepted.detach()))
                    finally:
                        os._exit(0)
                accepted.close()
    finally:
        listener.close()
        shutil.rmtree(os.path.dirname(address), ignore_errors=True)


def _work(connection: Connection) -> None:
    """In the worker: its own process group and limits, then read and answer."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # OCR and antiword are waited for
    os.setpgid(0, 0)
    try:
        path, limits = connection.recv()
        connection.send(os.getpid())
        budget = _address_space() + limits.memory
        resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
        cpu = int(limits.seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        name = Path(path).name
        try:
            answer = ("ok", read_file(Path(path), limits))
        except NoticeError as error:
            answer = ("refused", str(error))
        except MemoryError:
            answer = ("refused", f"{name}: không đọc được: vượt giới hạn bộ nhớ ({limits.memory // 1024 // 1024} MB)")
        except Exception:  # noqa: BLE001 - a file from outside: whatever breaks is told to the caller's log
            answer = ("failed", traceback.format_exc())
        connection.send(answer)
    except (EOFError, OSError):
        pass  # the caller went away
    finally:
        connection.close()


def _address_space() -> int:
    """The worker's address space as it starts (the reader's code and libraries)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


if __name__ == "__main__":
    serve(sys.argv[1])
