"""Run scenarios under both call policies and print one table: `python -m bench.sim [scenario ...]`."""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench.benchutil import machine
from bench.sim.day import simulate
from bench.sim.report import summarise, table
from bench.sim.scenario import all_names, load
from bench.sim.seeds import PAIRED_HEADER, POLICY_HEADER, paired_row, policy_rows, run_seeds

POLICIES = ("deadline", "fifo")  # run by default
CHOICES = ("deadline", "balanced", "fifo")


def main(argv: list[str] | None = None) -> int:
    """Simulate each named scenario (default: all of bench/sim/scenarios/) under every policy."""
    parser = argparse.ArgumentParser(prog="python -m bench.sim", description=__doc__)
    parser.add_argument("scenarios", nargs="*", help="scenario names or TOML paths (default: all)")
    parser.add_argument("--policy", action="append", choices=CHOICES, help="only this policy (repeatable)")
    parser.add_argument("--seeds", type=int, default=0,
                        help="run this many seeds of each scenario and print mean ± 95 %% interval tables, "
                             "paired against FIFO (Markdown)")
    args = parser.parse_args(argv)
    if args.seeds:
        return many_seeds(args.scenarios or all_names(), tuple(args.policy or POLICIES), args.seeds)
    summaries = []
    with tempfile.TemporaryDirectory(prefix="kezek-sim-") as folder:
        for name in args.scenarios or all_names():
            scenario = load(name)
            for policy in args.policy or POLICIES:
                summaries.append(summarise(simulate(scenario, policy, Path(folder))))
                print(f"  {scenario.name} / {policy}: {summaries[-1].seconds:.1f} s", file=sys.stderr)
    print(f"# {machine()}")
    print("# wait = issue to first call, in minutes; 'in limit' = called within the visit kind's own limit;")
    print("# err = |real wait - expected wait at issue| (minutes); optim. = real wait above the range shown;")
    print("# in rng = inside it; sim s = wall-clock seconds of the simulated day, cpu s = CPU seconds used")
    print(table(summaries))
    return 0


def many_seeds(names: list[str], policies: tuple[str, ...], seeds: int) -> int:
    """The multi-seed tables of docs/benchmarks.md: per policy, then each policy paired against FIFO.

    Each scenario's rows are printed as soon as its seeds are done (a long run keeps what it finished)."""
    print(f"Machine: {machine()}; {seeds} seeds per scenario, the same visitors under every policy.\n")
    print(POLICY_HEADER, flush=True)
    paired = []
    with tempfile.TemporaryDirectory(prefix="kezek-sim-") as folder:
        for name in names:
            runs = run_seeds(load(name), policies, seeds, Path(folder))
            print("\n".join(policy_rows(runs)), flush=True)
            if "fifo" in policies:
                paired += [paired_row(runs, policy) for policy in policies if policy != "fifo"]
                print("\n".join(paired[-len(policies) + 1:]), file=sys.stderr, flush=True)
    if paired:
        print()
        print(PAIRED_HEADER)
        print("\n".join(paired))
    return 0


if __name__ == "__main__":
    sys.exit(main())
