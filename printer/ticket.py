"""What one paper ticket shows, as plain data (no personal data)."""

from dataclasses import dataclass
from datetime import datetime

LANGS = ("kk", "ru", "en")


@dataclass(frozen=True)
class TicketPrint:
    """Everything printed on one ticket; texts are lang -> string mappings."""

    office: dict[str, str]
    number: str
    service: dict[str, str]
    visit_kind: dict[str, str]
    lang: str
    issued_local: datetime
    people_ahead: int
    estimate_min: tuple[int, int]
    wait_limit_min: int
    documents: dict[str, list[str]]
    status_url: str
    cabinet: str | None = None

    @property
    def languages(self) -> tuple[str, str]:
        """The visitor's language first, then Kazakh (or Russian for a Kazakh visitor)."""
        return languages_for(self.lang)


def languages_for(lang: str) -> tuple[str, str]:
    """Return (primary, secondary): kk -> (kk, ru); ru -> (ru, kk); en -> (en, kk)."""
    if lang not in LANGS:
        raise ValueError(f"unknown ticket language {lang!r}")
    return (lang, "ru") if lang == "kk" else (lang, "kk")


def pick(texts: dict[str, str], lang: str) -> str:
    """The text in `lang`, falling back to Russian, then Kazakh, then any."""
    for key in (lang, "ru", "kk", "en"):
        if texts.get(key):
            return texts[key]
    return next(iter(texts.values()), "")
