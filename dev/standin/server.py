"""Serve a WSGI app (the stand-in, or the bot) on loopback from a background thread.

Werkzeug's and waitress's servers silently drop request headers whose names contain "_",
and Zalo's all do: `access_token`, `secret_key` (OAuth), `num_retry` (webhook redelivery).
The request handler here keeps them, so serve the stand-in, and the bot's webhook, with it.
"""

from __future__ import annotations

import threading

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler
from werkzeug.serving import make_server as _werkzeug_make_server


class ZaloHeadersRequestHandler(WSGIRequestHandler):
    """Keeps header names with underscores (as HTTP_ACCESS_TOKEN etc.); quiet unless asked."""

    def make_environ(self):
        environ = super().make_environ()
        for key, value in self.headers.items():
            if "_" in key:
                environ["HTTP_" + key.upper().replace("-", "_")] = value.replace("\r\n", "")
        return environ

    def log_request(self, code="-", size="-"):
        """Method and path only: a query string may carry an OAuth code or an id."""
        if not getattr(self.server, "quiet", False):
            self.log("info", '"%s %s" %s %s', self.command, self.path.split("?", 1)[0], code, size)


def make_server(app, host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True) -> BaseWSGIServer:
    """A threaded werkzeug server for `app` that keeps Zalo's header names; port 0 picks a free one."""
    server = _werkzeug_make_server(host, port, app, threaded=True, request_handler=ZaloHeadersRequestHandler)
    server.quiet = quiet
    return server


class RunningServer:
    """A server running on its own thread; `stop()` shuts it down and frees the port."""

    def __init__(self, server: BaseWSGIServer):
        self._server = server
        self.host = server.host
        self.port = server.server_port
        self.url = f"http://{self.host}:{self.port}"
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"wsgi-{self.port}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)
        self._server.server_close()

    def __enter__(self) -> "RunningServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def serve_in_thread(app, host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True) -> RunningServer:
    return RunningServer(make_server(app, host, port, quiet=quiet))
