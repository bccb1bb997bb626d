"""Many seeds of each scenario under every policy, paired against FIFO: means with 95 % intervals, worst days."""
from __future__ import annotations

import math
import statistics
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from bench.sim.day import simulate
from bench.sim.report import Summary, summarise
from bench.sim.scenario import Scenario

MAX_WAIT_RATIO = 1.15  # the longest wait of a day at most 15 % above FIFO's
WORST_DAY_POINTS = -1.0  # never worse than FIFO by more than a point of share within limit
# Student's t for a two-sided 95 % interval, by degrees of freedom (30 and more: about 2.0).
_T95 = {1: 12.71, 2: 4.30, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31, 9: 2.26, 10: 2.23, 11: 2.20,
        12: 2.18, 13: 2.16, 14: 2.14, 15: 2.13, 16: 2.12, 17: 2.11, 18: 2.10, 19: 2.09, 20: 2.09, 24: 2.06, 29: 2.05}


def seeded(scenario: Scenario, n: int) -> Scenario:
    """The scenario's `n`-th day: the same office and hours, other visitors (seed n = 0 is the file's own)."""
    return replace(scenario, seed=scenario.seed + 1000 * n)


def interval(values: list[float]) -> tuple[float, float]:
    """Mean and the half-width of its 95 % confidence interval."""
    mean = statistics.fmean(values)
    if len(values) < 2:
        return mean, float("nan")
    df = len(values) - 1
    t = _T95.get(df) or next((v for k, v in sorted(_T95.items(), reverse=True) if k <= df), 2.0)
    return mean, t * statistics.stdev(values) / math.sqrt(len(values))


@dataclass
class Runs:
    """Every day of one scenario: per policy, one summary per seed (same seeds for every policy)."""

    scenario: str
    days: dict[str, list[Summary]]


def run_seeds(scenario: Scenario, policies: tuple[str, ...], seeds: int, folder: Path) -> Runs:
    """Simulate `seeds` days of the scenario under each policy (in this one process)."""
    days: dict[str, list[Summary]] = {policy: [] for policy in policies}
    for n in range(seeds):
        day = seeded(scenario, n)
        for policy in policies:
            summary = summarise(simulate(day, policy, folder))
            days[policy].append(replace(summary, scenario=scenario.name))
            (folder / f"{day.name}-{policy}.sqlite3").unlink(missing_ok=True)
        print(f"  {scenario.name} seed {n + 1}/{seeds}", file=sys.stderr, flush=True)
    return Runs(scenario.name, days)


def _pm(values: list[float], scale: float = 1.0, digits: int = 1) -> str:
    mean, half = interval([scale * v for v in values])
    return f"{mean:.{digits}f} ± {half:.{digits}f}"


def _pooled(days: list[Summary]) -> tuple[float, float]:
    errors = [e for day in days for e in day.errors]
    over = sum(day.over_range for day in days)
    return (statistics.median(errors) if errors else 0.0), (over / len(errors) if errors else 0.0)


def policy_rows(runs: Runs) -> list[str]:
    """Markdown rows, one per policy: the day's figures as mean ± 95 % interval over the seeds."""
    rows = []
    for policy, days in runs.days.items():
        err, over = _pooled(days)
        rows.append(" | ".join([
            f"| {runs.scenario}", policy, f"{statistics.fmean(d.visitors for d in days):.0f}",
            f"{statistics.fmean(d.turned_away for d in days):.1f}",
            _pm([d.within_share for d in days], 100), _pm([d.within_all for d in days], 100),
            _pm([d.within_40 for d in days], 100), _pm([d.mean_wait for d in days]),
            _pm([d.max_wait for d in days]), _pm([d.net_max_wait for d in days]),
            f"{err:.1f} ({max(d.error_median for d in days):.1f})",
            f"{100 * over:.0f} % ({100 * max(d.optimistic for d in days):.0f} %)",
            f"{statistics.fmean(d.cpu_seconds for d in days):.1f} |",
        ]))
    return rows


POLICY_HEADER = (
    "| scenario | policy | tickets | turned away | within limit % | within limit, everyone % | ≤ 40 min % "
    "| mean wait | longest wait (lived) | longest wait (closed periods left out) | estimate error median "
    "(worst day) | waited past the range (worst day) | CPU s |\n|" + "---|" * 13
)


def paired_row(runs: Runs, policy: str, against: str = "fifo") -> str:
    """Markdown row: `policy` minus `against`, day by day on the same seeds."""
    mine, base = runs.days[policy], runs.days[against]
    gains = [100 * (a.within_share - b.within_share) for a, b in zip(mine, base)]
    gains_all = [100 * (a.within_all - b.within_all) for a, b in zip(mine, base)]
    lived = [a.max_wait / b.max_wait if b.max_wait else 1.0 for a, b in zip(mine, base)]
    net = [a.net_max_wait / b.net_max_wait if b.net_max_wait else 1.0 for a, b in zip(mine, base)]
    return " | ".join([
        f"| {runs.scenario}", f"{policy} − {against}", f"{len(gains)}", _pm(gains), _pm(gains_all),
        f"{min(gains):+.1f}", f"{sum(g < WORST_DAY_POINTS for g in gains)}",
        f"{max(lived):.2f}", f"{sum(r > MAX_WAIT_RATIO for r in lived)}",
        f"{max(net):.2f}", f"{sum(r > MAX_WAIT_RATIO for r in net)} |",
    ])


PAIRED_HEADER = (
    "| scenario | difference | days | within limit, points | within limit counting everyone, points "
    "| worst day, points | days worse than −1 point | longest wait ÷ FIFO's, worst day (lived) "
    "| days above 1.15 | same, closed periods left out | days above 1.15 |\n|" + "---|" * 11
)
