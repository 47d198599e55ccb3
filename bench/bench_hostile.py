"""Files built to exhaust the reader, uploaded to the console of a running app: each is refused in
under 2 s, and the server's memory is what it was before (the file is read in a worker process).

The 400-page PDF once took 101 s and 4.3 GB; the .docx unpacking to 95 MB 247 s; one line of
128 KB 41 s (issue 11). Memory is the server process's resident size, before the first upload
and after the last.
"""

from __future__ import annotations

import io
import re
import tempfile
import time
from pathlib import Path

from bench.common import SAMPLES, migrated_engine, temp_settings
from bench.hostile import SHAPES, inflating_docx, many_pages_pdf
from bot import create_app, make_runtime
from storage.directory import load_directory

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SECONDS = 2.0
MB = 1024 * 1024


def resident() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * 4096


def upload(client, path: Path):
    token = CSRF.search(client.get("/console/import").get_data(as_text=True))[1]
    data = {"csrf_token": token, "notice": (io.BytesIO(path.read_bytes()), path.name)}
    return client.post("/console/import", data=data, content_type="multipart/form-data")


def main() -> bool:
    settings = temp_settings()
    runtime = make_runtime(settings, engine=migrated_engine(settings))
    with runtime.session() as session:
        load_directory(session, SAMPLES / "units.csv", SAMPLES / "officers.csv")
    client = create_app(settings, runtime=runtime).test_client()
    folder = Path(tempfile.mkdtemp(prefix="nhacviec-hostile-"))
    long_line = folder / "mot-dong.txt"
    long_line.write_text(SHAPES["quarters"](6_000), encoding="utf-8")  # one line of 128 KB
    files = [many_pages_pdf(folder / "400-trang.pdf", 400), inflating_docx(folder / "95-mb.docx", 95), long_line]
    upload(client, SAMPLES / "thong-bao-ket-luan-tuan-7-2025.txt")  # the app and the reader are warm
    before = resident()
    met = True
    for path in files:
        started = time.perf_counter()
        response = upload(client, path)
        seconds = time.perf_counter() - started
        answer = "refused" if response.status_code == 400 else f"status {response.status_code}"
        ok = seconds < SECONDS and (response.status_code == 400 or path is long_line)
        met = met and ok
        print(f"{path.name} ({path.stat().st_size // 1024} KB): {answer} in {seconds:.2f} s; "
              f"target < {SECONDS:.0f} s: {'met' if ok else 'NOT met'}")
    grown = (resident() - before) / MB
    print(f"server memory: {before / MB:.0f} MB before, grew {grown:+.1f} MB; target < 8 MB: "
          f"{'met' if grown < 8 else 'NOT met'}")
    return met and grown < 8


if __name__ == "__main__":
    main()
