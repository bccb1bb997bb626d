"""What a simulated day shows: waits against each limit, annex 2's 40 minutes, and how far estimates were off."""
from __future__ import annotations

import statistics
from dataclasses import dataclass

from bench.benchutil import percentile
from bench.sim.day import DayResult

ANNEX2_MINUTES = 40  # annex 2, indicator 1.2: share of visitors who waited no more than 40 minutes


@dataclass(frozen=True)
class Summary:
    """One row of the table: one scenario under one policy."""

    scenario: str
    policy: str
    visitors: int
    turned_away: int
    within: int
    within_by_prefix: dict[str, float]
    within_40: float
    mean_wait: float
    p95_wait: float
    max_wait: float
    error_median: float
    error_p90: float
    optimistic: float
    in_range: float
    seconds: float
    cpu_seconds: float
    net_max_wait: float = 0.0  # the longest wait with closed periods (lunch) left out
    errors: tuple[float, ...] = ()  # |real wait - expected| of every ticket with an estimate
    over_range: int = 0  # tickets whose real wait was above the range shown

    @property
    def within_all(self) -> float:
        """Share within limit counting everyone who came: visitors turned away count as not served in time."""
        everyone = self.visitors + self.turned_away
        return self.within / everyone if everyone else 1.0

    @property
    def within_share(self) -> float:
        """Share of visitors called within their own limit."""
        return self.within / self.visitors if self.visitors else 1.0


def summarise(result: DayResult) -> Summary:
    """Waits (issue to first call) of every ticket of the day, against limits and the kiosk's estimates."""
    waits, within, by_prefix, errors, optimistic, in_range, net = [], 0, {}, [], 0, 0, []
    for ticket in result.tickets:
        wait = (ticket.called_at - ticket.queue_since).total_seconds() / 60 if ticket.called_at else float("inf")
        waits.append(wait)
        net.append(wait - _closed_minutes(result.lunch, ticket.queue_since, ticket.called_at))
        ok = wait <= ticket.wait_limit_minutes
        within += ok
        by_prefix.setdefault(ticket.prefix, []).append(ok)
        issued = result.issued.get(ticket.id)
        if issued is not None:
            errors.append(abs(wait - issued.expected))
            optimistic += wait > issued.high
            in_range += issued.low <= wait <= issued.high
    count = len(waits)
    return Summary(
        scenario=result.scenario, policy=result.policy, visitors=count, turned_away=result.turned_away,
        within=within, within_by_prefix={p: sum(v) / len(v) for p, v in sorted(by_prefix.items())},
        within_40=sum(w <= ANNEX2_MINUTES for w in waits) / count if count else 1.0,
        mean_wait=statistics.fmean(waits) if waits else 0.0, p95_wait=percentile(waits, 0.95),
        max_wait=max(waits, default=0.0), error_median=statistics.median(errors) if errors else 0.0,
        error_p90=percentile(errors, 0.9), optimistic=optimistic / len(errors) if errors else 0.0,
        in_range=in_range / len(errors) if errors else 0.0, seconds=result.seconds,
        cpu_seconds=result.cpu_seconds, net_max_wait=max(net, default=0.0), errors=tuple(errors),
        over_range=optimistic,
    )


def _closed_minutes(lunch, since, called) -> float:
    """Minutes of the closed period (lunch) between taking the ticket and the call."""
    if lunch is None or called is None:
        return 0.0
    start, end = max(lunch[0], since), min(lunch[1], called)
    return max(0.0, (end - start).total_seconds() / 60)


COLUMNS = (
    ("scenario", "{:<18}", lambda s: s.scenario),
    ("policy", "{:<8}", lambda s: s.policy),
    ("visitors", "{:>8}", lambda s: s.visitors),
    ("away", "{:>4}", lambda s: s.turned_away),
    ("in limit", "{:>12}", lambda s: f"{s.within} {100 * s.within_share:.1f}%"),
    ("A30", "{:>4}", lambda s: _pct(s.within_by_prefix.get("A"))),
    ("B10", "{:>4}", lambda s: _pct(s.within_by_prefix.get("B"))),
    ("C10", "{:>4}", lambda s: _pct(s.within_by_prefix.get("C"))),
    ("D10", "{:>4}", lambda s: _pct(s.within_by_prefix.get("D"))),
    ("<=40m", "{:>5}", lambda s: _pct(s.within_40)),
    ("mean", "{:>5}", lambda s: f"{s.mean_wait:.1f}"),
    ("p95", "{:>5}", lambda s: f"{s.p95_wait:.1f}"),
    ("max", "{:>5}", lambda s: f"{s.max_wait:.1f}"),
    ("err med", "{:>7}", lambda s: f"{s.error_median:.1f}"),
    ("err p90", "{:>7}", lambda s: f"{s.error_p90:.1f}"),
    ("optim.", "{:>6}", lambda s: _pct(s.optimistic)),
    ("in rng", "{:>6}", lambda s: _pct(s.in_range)),
    ("sim s", "{:>6}", lambda s: f"{s.seconds:.1f}"),
    ("cpu s", "{:>6}", lambda s: f"{s.cpu_seconds:.1f}"),
)


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.0f}%"


def table(summaries: list[Summary]) -> str:
    """One plain-text table, one row per scenario and policy."""
    header = " ".join(fmt.format(name) for name, fmt, _ in COLUMNS)
    lines = [header, "-" * len(header)]
    for summary in summaries:
        lines.append(" ".join(fmt.format(value(summary)) for _, fmt, value in COLUMNS))
    return "\n".join(lines)
