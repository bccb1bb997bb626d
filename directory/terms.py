"""The searchable texts of a directory entry, each with the weight of the field it comes from."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from directory.caveats import other_copy_phones
from directory.districts import BY_SLUG, REGION
from directory.normalise import words

# How much a word found in each field counts: a name outweighs a street, a street an e-mail.
WEIGHTS = {"name": 1.0, "alias": 0.95, "settlement": 0.9, "street": 0.75, "house": 0.7, "cabinet": 0.7,
           "head": 0.6, "topic": 0.6, "contact": 0.5, "seed_other": 0.5,
           "kind": 1.1}  # a word naming the kind (акимат, отдел) outweighs the same word inside another name
# Words that name a cabinet, a house or a floor: "кабинет 201" finds cabinet 201.
CABINET_WORDS = ("кабинет", "каб", "cabinet", "kabinet", "room", "комната", "бөлме")
FLOOR_WORDS = ("қабат", "этаж", "floor")
KIND_WORDS = {
    "department": ("бөлім", "бөлімі", "отдел", "department", "ММ"),
    "akimat": ("әкімияты", "акимат", "akimat"),
    "regional": ("басқармасы", "управление", "regional"),
}


# Fields whose other spelling in the seed (the other copy's, or a misspelt one) stays searchable.
OTHER_SPELLINGS = ("name_kk", "head", "street", "settlement", "name")
# Standard 2 appends the department's schedule to the head's cell: not part of anyone's name.
_SCHEDULE = re.compile(r"\s*Жұмыс және қабылдау кестесі.*$", re.S)


def _letters(text: str) -> str:
    """A source text's words without its numbers (a seed line's times and house numbers are not this entry's)."""
    return re.sub(r"\d+", " ", _SCHEDULE.sub("", text))


@dataclass(frozen=True)
class SearchTerms:
    """The alternative names and topic words of `data/search_terms.json`, grouped by entry key."""

    by_entry: dict[str, tuple[tuple[str, str], ...]]  # entry key or "kind:*" -> ((field, text), ...)
    filler: frozenset[str] = frozenset()  # folded words that say nothing about which office is meant

    def for_entry(self, kind: str, district: str) -> list[tuple[str, str]]:
        """The (field, text) pairs the table adds to one entry."""
        return [*self.by_entry.get(f"{kind}:{district}", ()), *self.by_entry.get(f"{kind}:*", ())]


@lru_cache(maxsize=1)
def search_terms() -> SearchTerms:
    """The packaged table of alternative names and topic words."""
    raw = json.loads(resources.files("directory").joinpath("data", "search_terms.json").read_text("utf-8"))
    by_entry: dict[str, list[tuple[str, str]]] = {}
    for group in raw["groups"]:
        field = "topic" if group["kind"] == "topic" else "alias"
        for entry in group["entries"]:
            by_entry.setdefault(entry, []).extend((field, word) for word in group["words"])
    filler = frozenset(w for text in raw.get("filler", {}).get("words", []) for w in words(text))
    return SearchTerms({key: tuple(pairs) for key, pairs in by_entry.items()}, filler)


def entry_texts(entry, terms: SearchTerms | None = None) -> list[tuple[str, str]]:
    """Every (field, text) of an entry a visitor's words may match: names, address, people, contacts."""
    district = BY_SLUG.get(entry.district, REGION if entry.district == REGION.slug else None)
    texts = [("name", entry.name_kk), ("name", entry.name_ru), ("name", entry.name_en)]
    if district:
        texts += [("name", district.name_kk), ("name", district.name_ru), ("name", district.latin)]
    texts += [("settlement", entry.settlement), ("street", entry.street), ("house", entry.house),
              ("head", entry.head)]
    if entry.cabinet:
        texts += [("cabinet", entry.cabinet), *(("cabinet", w) for w in CABINET_WORDS)]
    if entry.floor:
        texts += [("cabinet", f"{entry.floor} " + " ".join(FLOOR_WORDS))]
    texts += [("contact", e) for e in entry.emails or []] + [("contact", w) for w in entry.web_sites or []]
    texts += [("kind", w) for w in KIND_WORDS.get(entry.kind, ())]
    for issue in entry.seed_issues or []:  # the other copy's spellings: a visitor may have that one
        if issue.get("field") in OTHER_SPELLINGS and issue.get("category") in ("conflict", "anomaly"):
            texts += [("seed_other", _letters(v.get("text") or "")) for v in issue.get("values", [])]
    texts += (terms or search_terms()).for_entry(entry.kind, entry.district)
    return [(field, text) for field, text in texts if text]


def entry_phones(entry) -> list[str]:
    """The national digits of every number a visitor may dial: valid ones, and the other copy's."""
    numbers = [p["e164"][2:] for p in entry.phones or [] if p.get("valid") and p.get("e164")]
    return numbers + [p["e164"][2:] for p in other_copy_phones(entry)]
