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
