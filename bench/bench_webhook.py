"""The webhook answers in < 50 ms at p99 while the stand-in takes a full second for each send."""

from __future__ import annotations

import json
import threading
import time

import requests
from waitress import create_server

from bench.common import SAMPLES, migrated_engine, report, start_standin, temp_settings
from bot import create_app, make_runtime
from storage.directory import load_directory
from zalo.signature import signature_header

EVENTS = 600


def main() -> bool:
    standin_app, standin = start_standin(LATENCY=1.0)
    settings = temp_settings()
    settings = settings.with_overrides(zalo_api_base=standin.url, zalo_oauth_base=standin.url)
    runtime = make_runtime(settings, engine=migrated_engine(settings))
    with runtime.session() as session:
        load_directory(session, SAMPLES / "units.csv", SAMPLES / "officers.csv")
    server = create_server(create_app(settings, runtime=runtime), host="127.0.0.1", port=0, threads=8)
    threading.Thread(target=server.run, daemon=True).start()
    runtime.start_background()
    url = f"http://127.0.0.1:{server.effective_port}/zalo/webhook"
    users = [f"50000000000000000{n:02d}" for n in (1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 13)]
    http = requests.Session()
    latencies = []
    try:
        for n in range(EVENTS):
            stamp = str(int(time.time() * 1000))
            event = {"app_id": settings.zalo_app_id, "event_name": "user_send_text", "timestamp": stamp,
                     "sender": {"id": users[n % len(users)]}, "recipient": {"id": settings.zalo_oa_id},
                     "message": {"msg_id": f"bench-{n}", "text": "giúp"}}
            raw = json.dumps(event, ensure_ascii=False).encode()
            headers = {"X-ZEvent-Signature": signature_header(settings.zalo_app_id, raw, stamp,
                                                              settings.zalo_oa_secret_key),
                       "Content-Type": "application/json"}
            started = time.perf_counter()
            response = http.post(url, data=raw, headers=headers, timeout=5)
            latencies.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text
        sends = standin_app.extensions["standin"].request_count("/v3.0/oa/message/cs")
        print(f"while the stand-in answered {sends} send(s) at 1 s each")
        return report("webhook answer", latencies, 50, 99)
    finally:
        runtime.stop()
        server.close()
        standin.stop()


if __name__ == "__main__":
    main()
