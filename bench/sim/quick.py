"""A policy-only day in memory: the scenario's visitors and clerks, the real call policies, no database.

The day is played by kezek.planning.simulate, the simulator the staffing plan uses, so there is one.

For comparing call rules over many seeds in seconds (`python -m bench.sim.quick`); the tables in
docs/benchmarks.md come from the full simulation (`python -m bench.sim --seeds N`), which drives the
real issuing, clerk and estimate code. This one refuses a ticket near closing by a rough rule of
thumb (work waiting per cabinet), so its turned-away counts are indicative only.
"""
from __future__ import annotations

import argparse
import math
import statistics
import sys
from dataclasses import dataclass
from datetime import timedelta

from bench.sim.scenario import Scenario, all_names, load
from bench.sim.seeds import interval, seeded
from kezek.planning.simulate import Desk, Hours, Visit, play
from kezek.queue.hours import SEED_WEEK
from kezek.queue.policy import CallContext, Policy, policy_named

LIMITS = {"A": 30, "B": 10, "C": 10, "D": 10}
KIND_IDS = {"A": 1, "B": 2, "C": 3, "D": 4}
RECALL = timedelta(minutes=1)
NEAR = timedelta(minutes=1)


def near_fifo(context: CallContext):
    """A probe, not a product rule: first come, first served, except that among the visitors who took their ticket
    within a minute of the first in line the one whose limit runs out first goes first. It shows how much a
    day's figures move when the order changes only by such near-ties."""
    if not context.candidates:
        return None
    first = min(context.candidates, key=lambda t: (t.queue_since, t.id))
    near = [t for t in context.candidates if t.queue_since - first.queue_since <= NEAR]
    return min(near, key=lambda t: (t.deadline, t.queue_since, t.id))


PROBES: dict[str, Policy] = {"near-fifo": near_fifo}


@dataclass
class QuickDay:
    """One policy-only day: waits per ticket (lived), turned-away count."""

    waits: list[tuple[str, float]]  # (prefix, minutes) as lived, the lunch break included
    turned_away: int
    net_waits: list[float] | None = None  # the same with the lunch break left out


def run(scenario: Scenario, policy_name: str) -> QuickDay:
    """Play the scenario's day with `policy_name` choosing every call (kezek.planning.simulate plays it)."""
    policy = PROBES.get(policy_name) or policy_named(policy_name)
    opens_t, closes_t, lunch_s_t, lunch_e_t = SEED_WEEK[scenario.day.weekday()]
    hours = Hours(scenario.at(opens_t), scenario.at(closes_t), (scenario.at(lunch_s_t), scenario.at(lunch_e_t)))
    walk = sum(scenario.walk_minutes) / 2
    means = {KIND_IDS[k.prefix]: k.service_median * math.exp(k.service_sigma ** 2 / 2) + walk
             + scenario.no_show * 2 for k in scenario.kinds}
    desks = [Desk(plan.number, frozenset(KIND_IDS[p] for p in plan.kinds),
                  ((max(scenario.at(plan.opens), hours.opens), hours.closes),),
                  tuple((moment, minutes) for moment, minutes in scenario.break_times(plan)))
             for plan in scenario.cabinets]
    serving = {kind: [d for d in desks if kind in d.kinds] for kind in KIND_IDS.values()}

    def refuse(now, visit, waiting):
        # A rough rule of thumb, not the product's: the work waiting per cabinet would run past closing.
        cabinets = serving[visit.kind_id]
        work = sum(means[w.kind_id] for w in waiting if any(w.kind_id in d.kinds for d in cabinets)) / len(cabinets)
        end = now + timedelta(minutes=work + means[visit.kind_id])
        lunch = hours.lunch
        if lunch and now < lunch[0] < end:
            end += lunch[1] - lunch[0]
        return end > hours.closes

    visits = [
        Visit(v.index + 1, v.arrives, KIND_IDS[v.prefix], LIMITS[v.prefix],
              timedelta(minutes=v.walk_minutes + v.service_minutes) if v.shows_up else 2 * RECALL,
              timedelta(minutes=v.walk_minutes), v.prefix)
        for v in scenario.draw_visitors()
    ]
    played = play(hours, desks, visits, policy, means, refuse)
    waits = [(visit.tag, wait) for visit, wait in played.waits]
    return QuickDay(waits, len(played.turned_away), played.net_waits)


def within(day: QuickDay) -> float:
    """Share of the day's tickets called within their limit."""
    return sum(w <= LIMITS[p] for p, w in day.waits) / max(1, len(day.waits))


def within_everyone(day: QuickDay) -> float:
    """Share within limit counting the visitors turned away as not served in time."""
    return sum(w <= LIMITS[p] for p, w in day.waits) / max(1, len(day.waits) + day.turned_away)


def header(policy: str = "deadline", baseline: str = "fifo") -> str:
    """The Markdown header of `row`'s table."""
    other = "FIFO" if baseline == "fifo" else baseline
    return (
        f"| scenario | days | {other} within limit % | {policy} within limit % | difference, points | counting "
        f"everyone, points | worst day, points | days worse than −1 point | longest wait ÷ {other}'s: mean, worst "
        "day (lived) | days above 1.15 | same, closed periods left out: mean, worst | days above 1.15 |\n|"
        + "---|" * 12
    )


HEADER = header()


def row(name: str, seeds: int, policy: str = "deadline", baseline: str = "fifo") -> str:
    """One Markdown row: `policy` against `baseline` over `seeds` days of the scenario, paired day by day."""
    base = load(name)
    fifo_share, mine_share, gains, gains_all, lived, net = [], [], [], [], [], []
    for n in range(seeds):
        scenario = seeded(base, n)
        fifo, mine = run(scenario, baseline), run(scenario, policy)
        fifo_share.append(100 * within(fifo))
        mine_share.append(100 * within(mine))
        gains.append(mine_share[-1] - fifo_share[-1])
        gains_all.append(100 * (within_everyone(mine) - within_everyone(fifo)))
        lived.append(max(w for _p, w in mine.waits) / max(w for _p, w in fifo.waits))
        net.append(max(mine.net_waits) / max(fifo.net_waits))

    def pm(values):
        mean, half = interval(values)
        return f"{mean:.1f} ± {half:.1f}"

    return " | ".join([
        f"| {name}", str(seeds), pm(fifo_share), pm(mine_share), pm(gains), pm(gains_all), f"{min(gains):+.1f}",
        str(sum(g < -1 for g in gains)), f"{statistics.fmean(lived):.2f}, {max(lived):.2f}",
        str(sum(r > 1.15 for r in lived)), f"{statistics.fmean(net):.2f}, {max(net):.2f}",
        f"{sum(r > 1.15 for r in net)} |",
    ])


def main(argv: list[str] | None = None) -> int:
    """Paired comparison of a policy against FIFO (or `--baseline`) over seeds, one Markdown row per scenario."""
    parser = argparse.ArgumentParser(prog="python -m bench.sim.quick", description=__doc__)
    parser.add_argument("scenarios", nargs="*")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--policy", default="deadline")
    parser.add_argument("--baseline", default="fifo", help="the policy the differences are taken against")
    args = parser.parse_args(argv)
    print(header(args.policy, args.baseline))
    for name in args.scenarios or all_names():
        print(row(name, args.seeds, args.policy, args.baseline), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
