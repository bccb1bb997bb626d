"""Scenarios as TOML files: arrivals by hour, the visit-kind mix, service times, cabinets, breaks."""
from __future__ import annotations

import math
import random
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kezek.planning.simulate import poisson as _poisson

FOLDER = Path(__file__).resolve().parent / "scenarios"
ALMATY = ZoneInfo("Asia/Almaty")


@dataclass(frozen=True)
class KindMix:
    """One visit kind's share of arrivals and its service time (lognormal: median and sigma)."""

    prefix: str
    share: float
    service_median: float
    service_sigma: float


@dataclass(frozen=True)
class CabinetPlan:
    """A cabinet, the visit kinds it serves, when its clerk signs in and the breaks they take."""

    number: str
    kinds: str
    opens: time
    breaks: tuple[tuple[time, float], ...]


@dataclass(frozen=True)
class Visitor:
    """One simulated visitor: when they come, what for, how long their visit takes, whether they answer."""

    index: int
    arrives: datetime
    prefix: str
    service_minutes: float
    walk_minutes: float
    shows_up: bool


@dataclass(frozen=True)
class Scenario:
    """A simulated office day, reproducible by its seed."""

    name: str
    description: str
    seed: int
    day: date
    visitors: float
    first_hour: int
    hourly: tuple[float, ...]
    no_show: float
    walk_minutes: tuple[float, float]
    break_jitter_minutes: float
    kinds: tuple[KindMix, ...]
    cabinets: tuple[CabinetPlan, ...]
    history_visits: int = 30
    extra: dict = field(default_factory=dict)

    def at(self, clock: time) -> datetime:
        """A local time of the scenario's day as an aware UTC datetime."""
        return datetime.combine(self.day, clock, tzinfo=ALMATY).astimezone(ZoneInfo("UTC"))

    def draw_visitors(self) -> list[Visitor]:
        """The day's visitors: Poisson arrivals per hour, kinds by share, lognormal service times."""
        rng = random.Random(self.seed)
        weights = sum(self.hourly)
        prefixes = [kind.prefix for kind in self.kinds]
        shares = [kind.share for kind in self.kinds]
        by_prefix = {kind.prefix: kind for kind in self.kinds}
        arrivals = []
        for offset, weight in enumerate(self.hourly):
            count = _poisson(rng, self.visitors * weight / weights)
            start = self.at(time(self.first_hour + offset))
            arrivals += [start + timedelta(minutes=60 * rng.random()) for _ in range(count)]
        visitors = []
        for index, arrives in enumerate(sorted(arrivals)):
            kind = by_prefix[rng.choices(prefixes, shares)[0]]
            service = kind.service_median * math.exp(kind.service_sigma * rng.gauss(0, 1))
            walk = rng.uniform(*self.walk_minutes)
            visitors.append(Visitor(index, arrives, kind.prefix, service, walk, rng.random() >= self.no_show))
        return visitors

    def draw_history(self) -> list[tuple[str, float, float]]:
        """Yesterday's finished visits per kind (prefix, walk, service) so estimates start from real history."""
        rng = random.Random(self.seed + 1)
        history = []
        for kind in self.kinds:
            for _ in range(self.history_visits):
                service = kind.service_median * math.exp(kind.service_sigma * rng.gauss(0, 1))
                history.append((kind.prefix, rng.uniform(*self.walk_minutes), service))
        return history

    def break_times(self, cabinet: CabinetPlan) -> list[tuple[datetime, float]]:
        """When a cabinet's clerk wants each break (jittered by the seed) and for how many minutes."""
        rng = random.Random(f"{self.seed}-{cabinet.number}")
        jitter = self.break_jitter_minutes
        return [(self.at(clock) + timedelta(minutes=rng.uniform(-jitter, jitter)), minutes)
                for clock, minutes in cabinet.breaks]


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def load(name_or_path: str) -> Scenario:
    """Read a scenario by name (from bench/sim/scenarios/) or by path."""
    path = Path(name_or_path)
    if not path.suffix:
        named = [p for p in FOLDER.glob("*.toml") if name_or_path in (p.stem, _name_of(p))]
        if not named:
            raise SystemExit(f"no scenario {name_or_path!r}; there are: {', '.join(all_names())}")
        path = named[0]
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    kinds = tuple(KindMix(prefix, k["share"], k["service_median"], k["service_sigma"])
                  for prefix, k in data["kinds"].items())
    cabinets = tuple(
        CabinetPlan(c["number"], c["kinds"], _clock(c.get("opens", "09:00")),
                    tuple((_clock(at), float(minutes)) for at, minutes in c.get("breaks", [])))
        for c in data["cabinets"]
    )
    return Scenario(
        name=data.get("name", path.stem), description=data.get("description", ""), seed=data.get("seed", 1),
        day=date.fromisoformat(data["day"]), visitors=float(data["visitors"]), first_hour=data.get("first_hour", 9),
        hourly=tuple(data["hourly"]), no_show=data.get("no_show", 0.05),
        walk_minutes=tuple(data.get("walk_minutes", [0.3, 1.5])),
        break_jitter_minutes=data.get("break_jitter_minutes", 10.0), kinds=kinds, cabinets=cabinets,
        history_visits=data.get("history_visits", 30),
    )


def _name_of(path: Path) -> str:
    return path.stem.split("-", 1)[1] if path.stem[0].isdigit() else path.stem


def all_names() -> list[str]:
    """Every scenario file's name, in the order of their file names (quiet to overloaded)."""
    return [_name_of(path) for path in sorted(FOLDER.glob("*.toml"))]
