"""Rank directory entries for a visitor's words: exact names first, then prefixes, then one or two wrong letters.

Plain Python, no Flask: `SearchIndex(entries)` reads any objects with the directory entry's
attributes and answers `search(query)` in well under a millisecond for the whole directory.
"""
from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from directory.normalise import key, phone_digits, variants, words
from directory.terms import WEIGHTS, SearchTerms, entry_phones, entry_texts, search_terms

EXACT, PREFIX, ENDING, ONE_OFF, TWO_OFF = 1.0, 0.85, 0.8, 0.65, 0.45
MIN_PREFIX = 3  # a typed word this long may be the start of a longer one
MIN_ENDING = 4  # a word of the entry this long may be a typed word without its ending
MIN_PHONE_TAIL = 5  # the last digits of a number that find it


def typos_allowed(length: int) -> int:
    """Wrong letters forgiven in a word: none under four letters, one in four to six, two from seven on."""
    return 0 if length < 4 else 1 if length <= 6 else 2


@dataclass(frozen=True)
class Hit:
    """One entry found: its position in the index's list, how many words it matched, and its score."""

    position: int
    matched: int
    score: float


class SearchIndex:
    """The words of every entry, keyed for forgiving search, with where each word occurs and how much it counts."""

    def __init__(self, entries: list, terms: SearchTerms | None = None):
        self.entries = list(entries)
        self.filler = (terms or search_terms()).filler
        postings: dict[str, dict[int, float]] = defaultdict(dict)  # key -> {entry position: field weight}
        names: dict[str, set[int]] = defaultdict(set)  # a whole name's keys -> entries
        self.phones: list[tuple[str, int]] = []
        for position, entry in enumerate(self.entries):
            for field, text in entry_texts(entry, terms):
                weight = WEIGHTS[field]
                text_words = words(text)
                for word in text_words:
                    for variant in variants(word):
                        if postings[variant].get(position, 0) < weight:
                            postings[variant][position] = weight
                if field in ("name", "alias", "settlement") and text_words:
                    names[" ".join(key(w) for w in text_words)].add(position)
            self.phones += [(digits, position) for digits in entry_phones(entry)]
        self.postings = dict(postings)
        self.names = dict(names)
        self.vocabulary = sorted(self.postings)

    def _phone_hits(self, digits: str) -> set[int]:
        return {position for number, position in self.phones
                if number == digits or (len(digits) >= MIN_PHONE_TAIL and number.endswith(digits))}

    def _matches(self, variant: str, fuzzy: bool = True, whole: bool = True) -> list[tuple[str, float]]:
        """Vocabulary keys matching one key of a typed word, with the quality of the match: a stem
        (`whole` false) of five letters or more may have one wrong letter, a word as typed one or two."""
        found = [(variant, EXACT)] if variant in self.postings else []
        if variant.isdigit():  # house, cabinet and floor numbers are matched whole
            return found
        if len(variant) >= MIN_PREFIX:
            start = bisect.bisect_left(self.vocabulary, variant)
            for word in self.vocabulary[start:]:
                if not word.startswith(variant):
                    break
                if word != variant:
                    found.append((word, PREFIX))
        if variant in self.postings:  # the word itself (and longer ones it starts)
            return found
        if found or not fuzzy:  # the start of longer words, or a known word with an ending
            return found + self._endings(variant)
        found = self._endings(variant)  # a known word with an ending added, or a typo: both are kept
        allowed = typos_allowed(len(variant)) if whole else min(1, typos_allowed(len(variant) - 1))
        if allowed:
            near = process.extract(variant, self.vocabulary, scorer=OSA.distance, score_cutoff=allowed, limit=None)
            best = min((distance for _w, distance, _i in near), default=None)
            found += [(word, ONE_OFF if distance == 1 else TWO_OFF) for word, distance, _i in near if distance == best]
        return found

    def _endings(self, variant: str) -> list[tuple[str, float]]:
        """Known words the typed one starts with (Достоевского -> достоевск): the rest is an ending."""
        return [(variant[:cut], ENDING) for cut in range(MIN_ENDING, len(variant)) if variant[:cut] in self.postings]

    def _word_scores(self, word: str) -> dict[int, float]:
        """Each entry's best score for one typed word."""
        scores: dict[int, float] = {}
        seen: set[str] = set()
        for number, variant in enumerate(variants(word)):
            if variant in seen:
                continue
            seen.add(variant)
            quality_scale = 1.0 if number == 0 else 0.95  # a stem counts a little less than the word
            # Wrong letters are forgiven in the word and its Russian stem, not in the shorter Kazakh stem.
            for found, quality in self._matches(variant, fuzzy=number < 2, whole=number == 0):
                for position, weight in self.postings[found].items():
                    score = quality * quality_scale * weight
                    if score > scores.get(position, 0.0):
                        scores[position] = score
        # A word few entries hold tells more than one most hold (ауданы): the same weight for every entry it finds.
        rarity = math.log(1 + len(self.entries) / len(scores)) if scores else 0.0
        return {position: score * rarity for position, score in scores.items()}

    def search(self, query: str) -> list[Hit]:
        """Entries matching the query, best first; an empty query finds nothing (the caller lists all)."""
        per_word: list[dict[int, float]] = []
        rest = query
        for digits in phone_digits(query):
            hits = self._phone_hits(digits)
            if hits:
                per_word.append({position: 3.0 for position in hits})
                rest = _without_phone(rest, digits)
        typed = [word for word in words(rest) if word not in self.filler]
        for word in typed:
            scores = self._word_scores(word)
            if not scores:  # a word the directory does not hold, not even with a typo: nothing is there
                return []
            per_word.append(scores)
        if not per_word:
            return []
        whole = " ".join(key(w) for w in typed)
        totals: dict[int, list[float]] = defaultdict(lambda: [0, 0.0])
        for scores in per_word:
            for position, score in scores.items():
                totals[position][0] += 1
                totals[position][1] += score
        for position in self.names.get(whole, ()):
            if position in totals:
                totals[position][1] += 10.0  # the exact name of a place or office comes first
        best = max(matched for matched, _s in totals.values())
        hits = [Hit(position, int(matched), score) for position, (matched, score) in totals.items() if matched == best]
        return sorted(hits, key=lambda hit: (-hit.score, hit.position))


def _without_phone(text: str, digits: str) -> str:
    """The query without the phone number found in it, so its digits are not also read as house numbers."""
    for run in re.findall(r"\+?\d[\d\s\-‐‑–—().]*\d", text):
        if re.sub(r"\D", "", run).endswith(digits):
            return text.replace(run, " ", 1)
    return text
