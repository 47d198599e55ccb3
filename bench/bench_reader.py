"""The sample notice reads in < 50 ms: the file read and parsed in a worker process, as every
upload is (notices.worker), the answer back in the caller."""

from __future__ import annotations

import time

from bench.common import SAMPLES, report
from notices import read_notice

SEED = SAMPLES / "thong-bao-ket-luan-tuan-7-2025.txt"
RUNS = 300


def main() -> bool:
    read_notice(SEED)  # warm: imports and compiled expressions
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        read_notice(SEED)
        samples.append((time.perf_counter() - started) * 1000)
    return report("read the sample notice", samples, 50, 90)


if __name__ == "__main__":
    main()
