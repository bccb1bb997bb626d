"""Find directory entries: all of them in order, by key, by office, by a visitor's search words."""
from __future__ import annotations

import re

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from directory.districts import BY_SLUG, REGION
from directory.search import matches
from kezek.models import AKIMAT, DEPARTMENT, REGIONAL, DirectoryEntry, Office

MAX_QUERY = 200
_PHONE_WORD = re.compile(r"^[0-9()+\-.]*[0-9][0-9()+\-.]*$")
REGION_EN = "Zhambyl region"
_ORDER = case({REGIONAL: 0, DEPARTMENT: 1, AKIMAT: 2}, value=DirectoryEntry.kind)


def all_entries(session: Session) -> list[DirectoryEntry]:
    """Every entry: the regional department, then the departments, then the akimats, in seed order."""
    return list(session.scalars(select(DirectoryEntry).order_by(_ORDER, DirectoryEntry.number)))


def find_entry(session: Session, kind: str, district: str) -> DirectoryEntry | None:
    """The entry of one kind for one district slug, or None."""
    return session.scalar(select(DirectoryEntry).where(
        DirectoryEntry.kind == kind, DirectoryEntry.district == district))


def entry_for_office(session: Session, office: Office) -> DirectoryEntry | None:
    """An office's own entry, linked by its district slug (the regional office: the regional entry)."""
    if office.is_regional:
        return find_entry(session, REGIONAL, REGION.slug)
    return find_entry(session, DEPARTMENT, office.district)


def related(session: Session, entry: DirectoryEntry) -> dict[str, DirectoryEntry | None]:
    """Where a department's complaints go (its district's akimat) and the regional department above it."""
    if entry.kind != DEPARTMENT:
        return {"complaints": None, "regional": None}
    return {"complaints": find_entry(session, AKIMAT, entry.district),
            "regional": find_entry(session, REGIONAL, REGION.slug)}


def district_names(slug: str) -> tuple[str, str]:
    """A district's Kazakh and Russian names."""
    district = BY_SLUG.get(slug, REGION if slug == REGION.slug else None)
    return (district.name_kk, district.name_ru) if district else ("", "")


def district_label(slug: str, lang: str) -> str:
    """A district's name for a big button: Kazakh, Russian, or the Latin slug in English."""
    kk, ru = district_names(slug)
    return {"kk": kk, "ru": ru}.get(lang) or (REGION_EN if slug == REGION.slug else slug.title())


def search_fields(entry: DirectoryEntry) -> list[str]:
    """The texts a search looks in: names, district, address, head, phones (also digits only), e-mails."""
    fields = [entry.name_kk, entry.name_ru, entry.name_en, entry.district, *district_names(entry.district),
              entry.settlement, entry.street, entry.head, *entry.emails, *entry.web_sites]
    for phone in entry.phones:
        fields += [phone.get("source") or "", phone.get("e164") or "",
                   re.sub(r"[^0-9]", "", phone.get("source") or "")]
    return [f for f in fields if f]


def _query_words(query: str) -> str:
    """Phone-like words lose their dashes and brackets, so 34-51-24 finds +77262345124."""
    return " ".join(re.sub(r"[^0-9]", "", w) if _PHONE_WORD.match(w) else w for w in query.split())


def search(entries: list[DirectoryEntry], query: str = "", district: str = "") -> list[DirectoryEntry]:
    """Entries in a district (if given) whose fields contain every word of the query, folded."""
    words = _query_words(query)
    return [e for e in entries if (not district or e.district == district) and matches(search_fields(e), words)]
