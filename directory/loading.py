"""Load the seed's directory into the database, keeping every field an administrator has edited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.districts import SPELLING_VARIANTS
from directory.importer import parse_seed
from directory.records import Akimat, Department, Hours, ImportReport, RegionalDepartment, SeedDirectory
from kezek.models import AKIMAT, DEPARTMENT, REGIONAL, DirectoryChange, DirectoryEntry
from kezek.seed_data import DEPARTMENTS, REGIONAL as REGIONAL_NAMES, department_names

PACKAGED_SEED = "resolution-120-2008.txt"
# Fields the seed sets and an administrator may edit; a re-import only touches unedited ones.
SEED_FIELDS = (
    "number",
    "name_kk",
    "name_ru",
    "name_en",
    "head",
    "settlement",
    "street",
    "house",
    "floor",
    "cabinet",
    "phones",
    "emails",
    "web_sites",
    "hours",
    "receptions",
)
_DISTRICT_NAMES = {slug: (ru, en) for slug, _kk, _cab, ru, en in DEPARTMENTS}


@dataclass
class LoadResult:
    """What a load did: entries created, fields updated from the seed, fields kept as edited."""

    created: list[str] = field(default_factory=list)
    updated: list[tuple[str, str]] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)


def packaged_seed_text() -> str:
    """The seed resolution shipped inside the directory package."""
    return resources.files("directory").joinpath("data", PACKAGED_SEED).read_text(encoding="utf-8")


def hours_value(hours: Hours | None) -> dict | None:
    """Hours as stored: weekdays and HH:MM times (the source text stays in the seed's lines)."""
    if hours is None:
        return None
    return {
        "weekdays": list(hours.weekdays),
        "opens": hours.opens,
        "closes": hours.closes,
        "lunch_start": hours.lunch_start,
        "lunch_end": hours.lunch_end,
    }


def _phones(item) -> list[dict]:
    return [{"e164": p.e164, "source": p.source, "valid": p.valid, "problem": p.problem} for p in item.phones]


def usual_spelling(name: str) -> str:
    """A name with the seed's rarer spelling of a district replaced by the usual one (Мойнқұм -> Мойынқұм):
    one spelling everywhere; the seed's own stays in the source texts, and the search finds both."""
    for variant, usual in SPELLING_VARIANTS.items():
        name = name.replace(variant, usual)
    return name


def _names(kind: str, item) -> dict[str, str]:
    if kind == REGIONAL:
        return {
            "name_kk": item.name_kk or REGIONAL_NAMES["name_kk"],
            "name_ru": REGIONAL_NAMES["name_ru"],
            "name_en": REGIONAL_NAMES["name_en"],
        }
    ru, en = _DISTRICT_NAMES.get(item.district, (item.district_name_ru, item.district))
    if kind == DEPARTMENT:
        names = department_names(item.district_name, ru, en)
        return {**names, "name_kk": usual_spelling(item.name_kk) or names["name_kk"]}
    return {"name_kk": usual_spelling(item.name_kk), "name_ru": f"Акимат {ru}", "name_en": f"{en} akimat"}


def seed_values(kind: str, item: Department | Akimat | RegionalDepartment) -> dict:
    """The stored values of one imported record."""
    return {
        "number": getattr(item, "number", 0),
        **_names(kind, item),
        "head": getattr(item, "head", "") or "",
        "settlement": item.settlement or "",
        "street": item.street or "",
        "house": item.house or "",
        "floor": getattr(item, "floor", None) or "",
        "cabinet": getattr(item, "cabinet", None) or "",
        "phones": _phones(item),
        "emails": [e.address for e in item.emails],
        "web_sites": [w.host for w in getattr(item, "web_sites", [])],
        "hours": hours_value(getattr(item, "hours", None)),
        "receptions": {
            name: hours_value(getattr(item, f"{name}_reception"))
            for name in ("head", "deputy")
            if getattr(item, f"{name}_reception", None)
        },
    }


def seed_lines(item) -> list[dict]:
    """Where the seed writes a record: standard, part and the first and last line of each copy."""
    spans: dict[tuple[int, str], list[int]] = {}
    for source in item.sources:
        lines = [line for line, _ in source.cells] if hasattr(source, "cells") else [source.line]
        spans.setdefault((source.standard, source.part), []).extend(n for n in lines if n)
    return [
        {"standard": std, "part": part, "first": min(lines), "last": max(lines)}
        for (std, part), lines in sorted(spans.items())
        if lines
    ]


def seed_issues(report: ImportReport, key: str) -> list[dict]:
    """The report's conflicts, anomalies and differences for one entry, JSON-ready."""
    issues = []
    for issue in report.for_entry(key):
        issues.append(
            {
                "category": issue.category,
                "kind": issue.kind,
                "field": issue.field,
                "current": issue.current,
                "detail": issue.detail,
                "values": [
                    {"text": v.text, "standard": v.standard, "part": v.part, "line": v.line} for v in issue.values
                ],
            }
        )
    return issues


def records(seed: SeedDirectory) -> list[tuple[str, object]]:
    """Every record of the seed as (kind, record): the regional department, departments, akimats."""
    found = [(REGIONAL, seed.regional)] if seed.regional else []
    return found + [(DEPARTMENT, d) for d in seed.departments] + [(AKIMAT, a) for a in seed.akimats]


def _merge(session: Session, entry: DirectoryEntry, values: dict, now: datetime, result: LoadResult) -> None:
    for name, value in values.items():
        if name in (entry.edited_fields or []):
            if getattr(entry, name) != value:
                result.kept.append((entry.key, name))
            continue
        before = getattr(entry, name)
        if before != value:
            session.add(DirectoryChange(entry=entry, at=now, origin="seed", field=name, before=before, after=value))
            setattr(entry, name, value)
            result.updated.append((entry.key, name))


def load_directory(session: Session, seed: SeedDirectory, now: datetime) -> LoadResult:
    """Create missing entries and refresh unedited fields from the seed; never commits."""
    result = LoadResult()
    for kind, item in records(seed):
        key = f"{kind}:{item.district}"
        values = seed_values(kind, item)
        entry = session.scalar(
            select(DirectoryEntry).where(DirectoryEntry.kind == kind, DirectoryEntry.district == item.district)
        )
        if entry is None:
            entry = DirectoryEntry(
                kind=kind, district=item.district, created_at=now, edited_fields=[], resolved_reasons=[], **values
            )
            session.add(entry)
            result.created.append(key)
        else:
            _merge(session, entry, values, now, result)
        resolved = entry.resolved_reasons or []
        entry.review_reasons = [code for code in item.review_reasons if code not in resolved]
        entry.seed_issues = seed_issues(seed.report, key)
        entry.seed_lines = seed_lines(item)
    session.flush()
    return result


def load_packaged(session: Session, now: datetime) -> LoadResult:
    """Parse the packaged seed and load it (the `kezek load-seed` step); never commits."""
    return load_directory(session, parse_seed(packaged_seed_text()), now)
