"""Fixed ticket wording, looked up in Kezek's catalogues (Kazakh, Russian; English as written here).

The printer has no Flask-Babel: the catalogues are read with Babel directly, so translators see the
ticket's words with every other word of the interface.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from babel.support import NullTranslations, Translations


def N_(text: str) -> str:
    """Marks `text` for the catalogues; it is translated when the ticket is laid out."""
    return text


LABELS: dict[str, str] = {
    "your_number": N_("Your number"),
    "cabinet": N_("Cabinet {cabinet}"),
    "watch_board": N_("Watch for your number on the board"),
    "issued": N_("Time issued"),
    "people_ahead": N_("People ahead of you"),
    "estimate": N_("Estimated wait"),
    "wait_limit": N_("Longest wait allowed"),
    "minutes": N_("min"),
    "documents": N_("Have ready"),
    "follow_qr": N_("Follow the queue on your phone"),
}


@lru_cache(maxsize=4)
def catalogue(lang: str) -> NullTranslations:
    """Kezek's compiled catalogue for `lang` (English: the words as written)."""
    if lang == "en":
        return NullTranslations()
    folder = resources.files("kezek").joinpath("translations")
    with resources.as_file(folder) as path:
        return Translations.load(str(path), [lang])


def label(key: str, lang: str, **values) -> str:
    """The label `key` in `lang`, with `{name}` placeholders filled from `values`."""
    return catalogue(lang).ugettext(LABELS[key]).format(**values)


def minutes(lang: str, low: int, high: int | None = None) -> str:
    """A minute amount or range such as "10–20 мин"."""
    unit = label("minutes", lang)
    if high is None or high == low:
        return f"{low} {unit}"
    return f"{low}–{high} {unit}"


# The wait as a visitor reads it, on screen and on paper alike (`wait_text`); minutes are abbreviated in
# Russian and English ("мин", "min") and do not change after a number in Kazakh, so no plural forms.
WAIT_WORDS: dict[str, str] = {
    "none": N_("no wait"),
    "up_to": N_("up to {high} min"),
    "range": N_("{low}–{high} min"),
    "about": N_("about {high} min"),
    "closed": N_("after the office opens"),
}


def wait_form(low: int, high: int, ahead: int, open_now: bool = True) -> str:
    """How to word a wait: "closed", "none" (nobody ahead, served at once), "up_to", "about" or "range".

    "No wait" only when the office receives visitors and nobody is ahead: with someone ahead the
    wait is at least "up to 1 min", whatever the projection rounds it to.
    """
    if not open_now:
        return "closed"
    if ahead <= 0 and high <= 1:
        return "none"
    if low <= 0:
        return "up_to"
    return "about" if low >= high else "range"


def wait_text(lang: str, low: int, high: int, ahead: int, open_now: bool = True) -> str:
    """The estimated wait in `lang` (kk, ru or en), as the kiosk's screen and the paper ticket say it."""
    form = wait_form(low, high, ahead, open_now)
    return catalogue(lang).ugettext(WAIT_WORDS[form]).format(low=low, high=max(high, 1))
