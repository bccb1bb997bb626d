"""The default call policy against FIFO day by day on fixed seeds: the gain under load, no ordinary day worse."""
from __future__ import annotations

import statistics

import pytest

from bench.sim.day import simulate
from bench.sim.quick import header, row, run, within
from bench.sim.report import summarise
from bench.sim.scenario import load
from bench.sim.seeds import seeded

SEEDS = range(5)


def gains(name: str, policy: str = "deadline") -> list[float]:
    """Points of share within limit `policy` gains over FIFO on each of the fixed days."""
    days = [seeded(load(name), n) for n in SEEDS]
    return [100 * (within(run(day, policy)) - within(run(day, "fifo"))) for day in days]


def longest_ratios(name: str, policy: str) -> list[float]:
    """The longest wait of each fixed day under `policy` divided by FIFO's (as lived)."""
    days = [seeded(load(name), n) for n in SEEDS]
    return [max(w for _p, w in run(day, policy).waits) / max(w for _p, w in run(day, "fifo").waits) for day in days]


@pytest.mark.parametrize("name", ["morning-rush", "overload"])
def test_under_load_the_default_policy_calls_at_least_6_points_more_within_their_limit(name):
    found = gains(name)
    assert statistics.fmean(found) >= 6, found
    assert min(found) >= -1, found


@pytest.mark.parametrize("name", ["quiet-day", "normal-day", "one-cabinet", "single-service", "long-pause",
                                  "heavy-tails", "no-shows", "lunch-crossing"])
def test_on_no_single_day_is_the_default_policy_more_than_a_point_worse_than_fifo(name):
    assert min(gains(name)) >= -1


def test_the_real_rules_take_the_gain_on_a_morning_rush(tmp_path):
    day = seeded(load("morning-rush"), 1)
    default, fifo = (summarise(simulate(day, policy, tmp_path)) for policy in ("deadline", "fifo"))
    assert default.visitors == fifo.visitors > 100  # the same visitors came on both days
    assert 100 * (default.within_share - fifo.within_share) >= 6
    assert default.turned_away == fifo.turned_away


@pytest.mark.parametrize("name", ["morning-rush", "overload"])
def test_balanced_also_takes_at_least_6_points_under_load(name):
    found = gains(name, "balanced")
    assert statistics.fmean(found) >= 6, found
    assert min(found) >= -1, found


@pytest.mark.parametrize("name", ["normal-day", "no-shows", "long-pause"])
def test_balanced_keeps_the_longest_wait_closer_to_fifo_s_than_the_default_does(name):
    capped, default = longest_ratios(name, "balanced"), longest_ratios(name, "deadline")
    assert max(capped) <= max(default), (capped, default)
    assert statistics.fmean(capped) <= statistics.fmean(default), (capped, default)
    assert min(gains(name, "balanced")) >= -1


def test_the_quick_table_pairs_any_two_rules_and_a_rule_against_itself_differs_by_nothing():
    assert "deadline within limit %" in header("balanced", "deadline")
    cells = [cell.strip() for cell in row("quiet-day", 2, "balanced", "balanced").split("|")]
    assert cells[1:3] == ["quiet-day", "2"] and cells[5] == "0.0 ± 0.0" and cells[8] == "0"
