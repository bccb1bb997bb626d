"""A policy-only day in memory: the scenario's visitors and clerks, the real call policies, no database.

For comparing call rules over many seeds in seconds (`python -m bench.sim.quick`); the tables in
docs/benchmarks.md come from the full simulation (`python -m bench.sim --seeds N`), which drives the
real issuing, clerk and estimate code. This one refuses a ticket near closing by a rough rule of
thumb (work waiting per cabinet), so its turned-away counts are indicative only.
"""
from __future__ import annotations

import argparse
import heapq
import itertools
import math
import statistics
import sys
from dataclasses import dataclass
from datetime import timedelta

from bench.sim.scenario import Scenario, all_names, load
from bench.sim.seeds import interval, seeded
from kezek.queue.candidates import Waiting
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
    """Play the scenario's day with `policy_name` choosing every call."""
    policy = PROBES.get(policy_name) or policy_named(policy_name)
    opens_t, closes_t, lunch_s_t, lunch_e_t = SEED_WEEK[scenario.day.weekday()]
    opens, closes = scenario.at(opens_t), scenario.at(closes_t)
    lunch = scenario.at(lunch_s_t), scenario.at(lunch_e_t)
    walk = sum(scenario.walk_minutes) / 2
    means = {KIND_IDS[k.prefix]: k.service_median * math.exp(k.service_sigma ** 2 / 2) + walk
             + scenario.no_show * 2 for k in scenario.kinds}
    cabinets = {plan.number: frozenset(KIND_IDS[p] for p in plan.kinds) for plan in scenario.cabinets}
    breaks = {plan.number: scenario.break_times(plan) for plan in scenario.cabinets}
    events: list = []
    order = itertools.count()
    waiting: dict[int, tuple[Waiting, object]] = {}
    state = dict.fromkeys(cabinets, "closed")
    idle: set[str] = set()
    lunched: set[str] = set()
    waits: list[tuple[str, float]] = []
    net: list[float] = []
    away = 0

    def at(moment, action, *args):
        heapq.heappush(events, (moment, next(order), action, args))

    def arrive(now, visitor):
        nonlocal away
        if now < opens or lunch[0] <= now < lunch[1]:
            at((opens if now < opens else lunch[1]) + timedelta(minutes=visitor.walk_minutes), arrive, visitor)
            return
        kind = KIND_IDS[visitor.prefix]
        serving = [n for n, kinds in cabinets.items() if kind in kinds]
        work = sum(means[w.visit_kind_id] for w, _v in waiting.values()
                   if any(w.visit_kind_id in cabinets[n] for n in serving)) / len(serving)
        end = now + timedelta(minutes=work + means[kind])
        if now < lunch[0] < end:
            end += lunch[1] - lunch[0]
        if now >= closes or end > closes:
            away += 1
            return
        ticket_id = visitor.index + 1
        waiting[ticket_id] = (Waiting(ticket_id, kind, now, LIMITS[visitor.prefix]), visitor)
        for number in sorted(idle):
            idle.discard(number)
            free(now, number)

    def free(now, number):
        if lunch[0] <= now < lunch[1] and number not in lunched:
            lunched.add(number)
            state[number] = "paused"
            at(lunch[1], sign_in, number)
            return
        due = [b for b in breaks[number] if b[0] <= now]
        if due:
            breaks[number].remove(due[0])
            state[number] = "paused"
            at(now + timedelta(minutes=due[0][1]), sign_in, number)
            return
        kinds = cabinets[number]
        candidates = [w for w, _v in waiting.values() if w.visit_kind_id in kinds]
        others = {}
        for other, other_kinds in cabinets.items():
            if other != number and state[other] == "open":
                for kind in other_kinds:
                    others[kind] = others.get(kind, 0) + 1
        stop = lunch[0] if now < lunch[0] else closes
        chosen = policy(CallContext(0, candidates, now, others, means, stop)) if candidates else None
        if chosen is None:
            if now >= closes:
                state[number] = "closed"
                return
            idle.add(number)
            wake = [w for w in (lunch[0], closes, *(b[0] for b in breaks[number])) if w > now]
            at(min(wake) if wake else closes + timedelta(hours=6), wake_up, number)
            return
        _w, visitor = waiting.pop(chosen.id)
        lived = (now - chosen.queue_since).total_seconds() / 60
        closed = max(0.0, (min(lunch[1], now) - max(lunch[0], chosen.queue_since)).total_seconds() / 60)
        waits.append((visitor.prefix, lived))
        net.append(lived - closed)
        if visitor.shows_up:
            at(now + timedelta(minutes=visitor.walk_minutes + visitor.service_minutes), free, number)
        else:
            at(now + 2 * RECALL, free, number)

    def sign_in(now, number):
        state[number] = "open"
        free(now, number)

    def wake_up(now, number):
        if number in idle:
            idle.discard(number)
            free(now, number)

    for visitor in scenario.draw_visitors():
        at(visitor.arrives, arrive, visitor)
    for plan in scenario.cabinets:
        at(max(scenario.at(plan.opens), opens), sign_in, plan.number)
    while events:
        moment, _n, action, args = heapq.heappop(events)
        action(moment, *args)
    for w, visitor in waiting.values():
        waits.append((visitor.prefix, float("inf")))
        net.append(float("inf"))
    return QuickDay(waits, away, net)


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
