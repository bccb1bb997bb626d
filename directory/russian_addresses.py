"""Russian forms of the directory's Kazakh settlement and street names, and which form a reader sees.

The resolution writes every address in Kazakh only. A Russian reader gets the Russian form where both
the settlement and the street have one that is known for sure; a partly translated address would read
worse than the Kazakh one, so otherwise (and always for an English reader) the Kazakh form is shown
with a label saying it is in Kazakh.
"""
from __future__ import annotations

from dataclasses import dataclass

# The settlements of the seed as Russian post and road signs write them.
SETTLEMENTS_RU = {
    "Тараз қаласы": "г. Тараз",
    "Қаратау қаласы": "г. Каратау",
    "Жанатас қаласы": "г. Жанатас",
    "Сарыкемер ауылы": "с. Сарыкемер",
    "Меркі ауылы": "с. Мерке",
    "Құлан ауылы": "с. Кулан",
    "Қордай ауылы": "с. Кордай",
    "Төле би ауылы": "с. Толе би",
    "Бауыржан Момышұлы ауылы": "с. Бауыржан Момышулы",
    "Аса ауылы": "с. Аса",
    "Мойынқұм ауылы": "с. Мойынкум",
}
# Streets and squares; "Қарахан көшесі" and "Көшенов көшесі" are left out: their Russian forms are not
# known for sure, so those addresses stay in Kazakh with the label.
STREETS_RU = {
    "Достық алаңы": "площадь Достык",
    "Достоевский көшесі": "ул. Достоевского",
    "Байзақ батыр көшесі": "ул. Байзак батыра",
    "Исмаилов көшесі": "ул. Исмаилова",
    "Жібек жолы көшесі": "ул. Жибек жолы",
    "Төле би көшесі": "ул. Толе би",
    "Белашов көшесі": "ул. Белашова",
    "Балуан Шолақ көшесі": "ул. Балуан Шолака",
    "Қонаев көшесі": "ул. Кунаева",
    "Бейбитшілік көшесі": "ул. Бейбитшилик",
    "Жамбыл көшесі": "ул. Жамбыла",
    "Абай көшесі": "ул. Абая",
    "Амангельды көшесі": "ул. Амангельды",
}


@dataclass(frozen=True)
class ShownAddress:
    """The settlement, street and house as one line, and whether that line is the Kazakh original."""

    text: str
    lang: str

    def labelled_for(self, reader: str) -> bool:
        """Whether a reader of `reader`'s language needs the "in Kazakh" label beside the line."""
        return self.lang != reader


def _kazakh(settlement: str, street: str, house: str) -> ShownAddress:
    place = " ".join(part for part in (street, house) if part)
    return ShownAddress(", ".join(part for part in (settlement, place) if part), "kk")


def shown_address(reader: str, settlement: str, street: str, house: str) -> ShownAddress:
    """The address line for a reader of `reader` ("kk", "ru" or "en"): Russian where fully known, else Kazakh."""
    settlement, street, house = (settlement or "").strip(), (street or "").strip(), (house or "").strip()
    if reader == "ru" and settlement in SETTLEMENTS_RU and (not street or street in STREETS_RU):
        parts = (SETTLEMENTS_RU[settlement], STREETS_RU.get(street, ""), house)
        return ShownAddress(", ".join(part for part in parts if part), "ru")
    return _kazakh(settlement, street, house)
