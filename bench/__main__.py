"""`make bench`: run every `bench/bench_*.py` module's `main()`, or those named on the command line."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(names: list[str]) -> int:
    modules = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if names:
        modules = [m for m in modules if any(n in m for n in names)]
    failed = []
    for name in modules:
        print(f"== {name}", flush=True)
        met = importlib.import_module(f"bench.{name}").main()
        if met is False:
            failed.append(name)
    print(f"benchmarks: {len(modules) - len(failed)} met their target, {len(failed)} did not"
          + (f" ({', '.join(failed)})" if failed else ""))
    return 1 if failed else 0


sys.exit(main(sys.argv[1:]))
