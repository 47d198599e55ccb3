"""`nhacviec --help` answers in under 0.3 s, beside a bare `python -c pass` measured in the same run."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import write_section

TARGET_S = 0.3
RUNS = 7


def timed(command: list[str]) -> float:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> bool:
    script = Path(sys.executable).with_name("nhacviec")
    bare = timed([sys.executable, "-c", "pass"])
    help_ = timed([str(script), "--help"])
    met = help_ < TARGET_S
    line = (f"`nhacviec --help`: median {help_ * 1000:.0f} ms of {RUNS} runs, beside `python -c pass` at "
            f"{bare * 1000:.0f} ms; target < {TARGET_S * 1000:.0f} ms: {'met' if met else 'NOT met'}")
    print(line)
    write_section("cli", "The command line (bench_cli)", [line])
    return met


if __name__ == "__main__":
    main()
