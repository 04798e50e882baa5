"""``make bench``: run every benchmark that exists and print one table each."""

from __future__ import annotations

import importlib
import sys

from bench.common import print_table, write_results

BENCHES = ("bench.engine", "bench.channels", "bench.nlu", "bench.journeys", "bench.directory", "bench.fullstack",
           "bench.burst")


def main() -> int:
    for name in BENCHES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        rows = module.run()
        short = name.split(".")[-1]
        print_table(f"{short}", rows)
        print(f"results: {write_results(short, rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
