"""The whole directory as JSON-ready data and as CSV, for other systems."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from directory.caveats import hours_doubt, other_copy_phones, suspect_sites
from kezek.models import DEPARTMENT, DirectoryEntry
from kezek.spreadsheet import safe_cell

SOURCE = {
    "document": "Resolution N 120 of the Zhambyl region akimat, 25 April 2008",
    "repealed_by": "Resolution N 254 of the Zhambyl region akimat, 2 September 2010",
    "note": "Contacts are from 2008; fields listed in edited_fields were set by an administrator since.",
}
CSV_COLUMNS = (
    "kind",
    "district",
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
    "weekdays",
    "opens",
    "closes",
    "lunch_start",
    "lunch_end",
    "complaints_to",
    "regional_department",
    "needs_review",
    "review_reasons",
    "edited_fields",
    "edited_at",
    "seed_lines",
)


def _stamp(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def entry_data(entry: DirectoryEntry) -> dict:
    """One entry, JSON-ready; invalid phones keep valid=false so no system dials them."""
    return {
        "kind": entry.kind,
        "district": entry.district,
        "number": entry.number,
        "name": {"kk": entry.name_kk, "ru": entry.name_ru, "en": entry.name_en},
        "head": entry.head,
        "settlement": entry.settlement,
        "street": entry.street,
        "house": entry.house,
        "floor": entry.floor,
        "cabinet": entry.cabinet,
        "phones": entry.phones,
        "emails": entry.emails,
        "web_sites": entry.web_sites,
        "hours": entry.hours,
        "receptions": entry.receptions or {},
        # What the import doubts, while its review reason is open: shown with the values, never hidden.
        "other_copy_phones": other_copy_phones(entry),
        "suspect_web_sites": suspect_sites(entry),
        "hours_doubt": hours_doubt(entry),
        "complaints_to": f"akimat:{entry.district}" if entry.kind == DEPARTMENT else None,
        "regional_department": "regional:region" if entry.kind == DEPARTMENT else None,
        "needs_review": entry.needs_review,
        "review_reasons": entry.review_reasons,
        "edited_fields": entry.edited_fields,
        "edited_at": _stamp(entry.edited_at),
        "seed_lines": entry.seed_lines,
    }


def directory_data(entries: list[DirectoryEntry], now: datetime) -> dict:
    """The whole directory with its source, JSON-ready."""
    return {"source": SOURCE, "exported_at": now.isoformat(), "entries": [entry_data(e) for e in entries]}


def _row(entry: DirectoryEntry) -> list[str]:
    data = entry_data(entry)
    hours = entry.hours or {}
    flat = {
        **{
            k: data[k]
            for k in (
                "kind",
                "district",
                "number",
                "head",
                "settlement",
                "street",
                "house",
                "floor",
                "cabinet",
                "complaints_to",
                "regional_department",
                "edited_at",
            )
        },
        "name_kk": entry.name_kk,
        "name_ru": entry.name_ru,
        "name_en": entry.name_en,
        "phones": "; ".join(p.get("e164") or f"invalid:{p.get('source')}" for p in entry.phones),
        "emails": "; ".join(entry.emails),
        "web_sites": "; ".join(entry.web_sites),
        "weekdays": ",".join(hours.get("weekdays") or []),
        **{k: hours.get(k) for k in ("opens", "closes", "lunch_start", "lunch_end")},
        "needs_review": "yes" if entry.needs_review else "no",
        "review_reasons": "; ".join(entry.review_reasons),
        "edited_fields": "; ".join(entry.edited_fields),
        "seed_lines": "; ".join(
            f"standard {s['standard']} {s['part']} lines {s['first']}-{s['last']}" for s in entry.seed_lines
        ),
    }
    return [safe_cell("" if flat[c] is None else str(flat[c])) for c in CSV_COLUMNS]


def directory_csv(entries: list[DirectoryEntry]) -> str:
    """The whole directory as CSV text, one entry a row, with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_row(e) for e in entries)
    return out.getvalue()
