"""Whether a new staff password is too easy to guess, and why (zxcvbn's estimate; no Flask)."""
from __future__ import annotations

from collections.abc import Iterable

from zxcvbn import zxcvbn

# zxcvbn's score runs from 0 (guessed in under a thousand tries) to 4; 2 means about a million guesses at the
# least, out of reach of a throttled sign-in form.
LEAST_SCORE = 2
# Words people here choose that zxcvbn's English lists lack: the product, places, "password" in Russian and
# Kazakh, and the Russian keyboard's first row.
LOCAL_WORDS = ("kezek", "кезек", "taraz", "тараз", "zhambyl", "жамбыл", "жамбылская", "almaty", "алматы",
               "astana", "астана", "kazakhstan", "казахстан", "қазақстан", "пароль", "құпиясөз", "парол",
               "йцукен", "йцукенгшщз", "фывапролдж", "ячсмить", "привет", "сәлем", "qwerty", "enbek", "akimat")
# Beyond this length zxcvbn's estimate takes long and says nothing new: such a password is not weak.
_LONGEST_CHECKED = 100
# What the weakest part of a password is, as reason codes the views word (checked in this order).
_PATTERN_REASONS = (("repeat", "repeat"), ("sequence", "sequence"), ("spatial", "keyboard"), ("date", "date"))


def weakness(password: str, personal: Iterable[str] = ()) -> str | None:
    """None for a password hard enough to guess, else why not: common, personal, repeat, sequence,
    keyboard, date or guessable. `personal` are the account's own words (username, name)."""
    if len(password) > _LONGEST_CHECKED:
        return None
    own = [word for text in personal for word in (text or "").lower().split() if len(word) >= 3]
    estimate = zxcvbn(password, user_inputs=[*own, *LOCAL_WORDS])
    if estimate["score"] >= LEAST_SCORE:
        return None
    return _reason(estimate["sequence"], set(own))


def _reason(matches: list[dict], own: set[str]) -> str:
    patterns = {match["pattern"] for match in matches}
    words = [match for match in matches if match["pattern"] == "dictionary"]
    if any(match.get("matched_word") in own for match in words):
        return "personal"
    if any(match.get("dictionary_name") in ("passwords", "user_inputs") for match in words):
        return "common"
    for pattern, reason in _PATTERN_REASONS:
        if pattern in patterns:
            return reason
    return "common" if words else "guessable"
