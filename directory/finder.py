"""Find directory entries: all of them in order, by key, by office, by a visitor's search words."""

from __future__ import annotations

import threading

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from directory.districts import BY_SLUG, REGION
from directory.ranking import SearchIndex
from kezek.models import AKIMAT, DEPARTMENT, REGIONAL, DirectoryEntry, Office

MAX_QUERY = 200
REGION_EN = "Zhambyl region"
_SIGNED = (
    "id",
    "kind",
    "district",
    "name_kk",
    "name_ru",
    "name_en",
    "head",
    "settlement",
    "street",
    "house",
    "floor",
    "cabinet",
)
_ORDER = case({REGIONAL: 0, DEPARTMENT: 1, AKIMAT: 2}, value=DirectoryEntry.kind)


def all_entries(session: Session) -> list[DirectoryEntry]:
    """Every entry: the regional department, then the departments, then the akimats, in seed order."""
    return list(session.scalars(select(DirectoryEntry).order_by(_ORDER, DirectoryEntry.number)))


def find_entry(session: Session, kind: str, district: str) -> DirectoryEntry | None:
    """The entry of one kind for one district slug, or None."""
    return session.scalar(
        select(DirectoryEntry).where(DirectoryEntry.kind == kind, DirectoryEntry.district == district)
    )


def entry_for_office(session: Session, office: Office) -> DirectoryEntry | None:
    """An office's own entry, linked by its district slug (the regional office: the regional entry)."""
    if office.is_regional:
        return find_entry(session, REGIONAL, REGION.slug)
    return find_entry(session, DEPARTMENT, office.district)


def related(session: Session, entry: DirectoryEntry) -> dict[str, DirectoryEntry | None]:
    """Where a department's complaints go (its district's akimat) and the regional department above it."""
    if entry.kind != DEPARTMENT:
        return {"complaints": None, "regional": None}
    return {
        "complaints": find_entry(session, AKIMAT, entry.district),
        "regional": find_entry(session, REGIONAL, REGION.slug),
    }


def district_names(slug: str) -> tuple[str, str]:
    """A district's Kazakh and Russian names."""
    district = BY_SLUG.get(slug, REGION if slug == REGION.slug else None)
    return (district.name_kk, district.name_ru) if district else ("", "")


def district_label(slug: str, lang: str) -> str:
    """A district's name for a big button: Kazakh, Russian, or the Latin slug in English."""
    kk, ru = district_names(slug)
    return {"kk": kk, "ru": ru}.get(lang) or (REGION_EN if slug == REGION.slug else slug.title())


def signature(entries: list[DirectoryEntry]) -> tuple:
    """Everything of the entries the search reads: the index is remade when this changes."""
    return tuple(
        (
            *(getattr(e, name) for name in _SIGNED),
            repr(e.phones),
            tuple(e.emails or ()),
            tuple(e.web_sites or ()),
            tuple(e.review_reasons or ()),
            repr(e.seed_issues),
        )
        for e in entries
    )


class SearchCache:
    """The application's search index over the directory, made again when an entry has changed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._signature: tuple | None = None
        self._index: SearchIndex | None = None

    def index(self, entries: list[DirectoryEntry]) -> SearchIndex:
        """The index over `entries` (in their order), reused while they read the same."""
        current = signature(entries)
        with self._lock:
            if self._index is None or current != self._signature:
                self._index, self._signature = SearchIndex(entries), current
            return self._index

    def clear(self) -> None:
        """Forget the index (the next search makes it again)."""
        with self._lock:
            self._index = self._signature = None


def search(
    entries: list[DirectoryEntry], query: str = "", district: str = "", cache: SearchCache | None = None
) -> list[DirectoryEntry]:
    """Entries in a district (if given) matching the visitor's words, best first; no words: all, in order."""
    if query.strip():
        index = cache.index(entries) if cache else SearchIndex(entries)
        entries = [index.entries[hit.position] for hit in index.search(query)]
    return [e for e in entries if not district or e.district == district]
