"""Time the directory search in-process: every query of the search quality test, over the whole directory.

Run: .venv/bin/python bench/bench_directory_search.py [--runs 30]

Each run builds the index once (timed apart) and then asks each of the quality test's queries once, in a
shuffled order (seeded by the run). Reports, over the runs, the mean milliseconds per query with a 95 %
interval, the 99th percentile and the slowest single query, in wall time and in this process's CPU time
(on a shared machine the wall time also holds the moments other processes had the core), and the index
build time. The directory is the packaged seed's 23 entries as the database stores them.
"""
from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.benchutil import machine, percentile  # noqa: E402
from directory.importer import parse_seed  # noqa: E402
from directory.loading import packaged_seed_text, records, seed_issues, seed_lines, seed_values  # noqa: E402
from directory.ranking import SearchIndex  # noqa: E402
from tests.directory.search_queries import QUERIES  # noqa: E402


def entries() -> list[SimpleNamespace]:
    """The seed's entries with the fields the database stores."""
    seed = parse_seed(packaged_seed_text())
    return [SimpleNamespace(kind=kind, district=item.district, review_reasons=list(item.review_reasons),
                            seed_issues=seed_issues(seed.report, f"{kind}:{item.district}"),
                            seed_lines=seed_lines(item), **seed_values(kind, item))
            for kind, item in records(seed)]


def interval(values: list[float]) -> tuple[float, float]:
    """Mean and the half-width of its 95 % interval (normal approximation over the runs)."""
    mean = statistics.fmean(values)
    return mean, 1.96 * statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    directory = entries()
    queries = [query for _kind, query, _answers in QUERIES]
    SearchIndex(directory).search("тараз")  # warm the imports and the stemmer
    wall = {"mean": [], "p99": [], "max": []}
    cpu = {"mean": [], "p99": [], "max": []}
    builds = []
    for run in range(args.runs):
        started = time.perf_counter()
        index = SearchIndex(directory)
        builds.append((time.perf_counter() - started) * 1000)
        order = queries[:]
        random.Random(run).shuffle(order)
        walls, cpus = [], []
        for query in order:
            started, started_cpu = time.perf_counter(), time.process_time()
            index.search(query)
            cpus.append((time.process_time() - started_cpu) * 1000)
            walls.append((time.perf_counter() - started) * 1000)
        for figures, times in ((wall, walls), (cpu, cpus)):
            figures["mean"].append(statistics.fmean(times))
            figures["p99"].append(percentile(times, 0.99))
            figures["max"].append(max(times))
    print(f"machine: {machine()}")
    print(f"{len(directory)} entries, {len(queries)} queries, {args.runs} runs")
    for name, figures in (("wall", wall), ("CPU", cpu)):
        mean, half = interval(figures["mean"])
        p99, p99_half = interval(figures["p99"])
        print(f"{name} time per query: mean {mean:.3f} ± {half:.3f} ms (95 % interval over runs), "
              f"p99 {p99:.3f} ± {p99_half:.3f} ms, slowest single query {max(figures['max']):.3f} ms")
    print(f"index build (once per change of the directory): median {statistics.median(builds):.1f} ms")


if __name__ == "__main__":
    main()
