"""A small simulated day end to end on the real rules: the default policy keeps at least as many within limits as FIFO."""
from __future__ import annotations

from bench.sim.day import simulate
from bench.sim.report import summarise
from bench.sim.scenario import load


def test_one_cabinet_day_deadline_keeps_at_least_as_many_within_their_limits_as_fifo(tmp_path):
    scenario = load("one-cabinet")  # one cabinet serves the 30-minute and the 10-minute visits together
    by_policy = {policy: summarise(simulate(scenario, policy, tmp_path)) for policy in ("deadline", "fifo")}
    default, fifo = by_policy["deadline"], by_policy["fifo"]
    assert default.visitors == fifo.visitors > 20  # the same visitors came on both days
    assert default.within >= fifo.within
    assert default.max_wait <= 1.1 * fifo.max_wait
    assert default.error_median <= 3 and default.optimistic <= 1 / 3


def test_the_same_seed_brings_the_same_visitors():
    first, again = load("quiet-day").draw_visitors(), load("quiet-day").draw_visitors()
    assert first == again and len(first) > 30
