"""Split the seed's address cells into settlement, street, house, floor and cabinet."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CABINET = re.compile(r"\s*кабинет(?:і)?\s*(?:N|№)?\s*(\S+)\s*$", re.IGNORECASE)
_FLOOR = re.compile(r"\s+(\d+)\s*қабат\s*$")
_HOUSE = re.compile(r"^(.*?)[\s,]*(\d+[A-Za-zА-Яа-яӘәҚқҢңӨөҰұҮүІі/\-]*)$")


@dataclass(frozen=True)
class Address:
    """Parts of an address; a part the text does not give is None."""

    settlement: str | None
    street: str | None
    house: str | None
    floor: str | None = None
    cabinet: str | None = None


def _clean(text: str) -> str | None:
    text = text.strip(" ,.\t")
    return text or None


def parse_address(text: str) -> Address:
    """Read "Settlement, Street, 14 кабинет N 201" and its variants (comma or not before the house)."""
    rest = (text or "").strip()
    cabinet = floor = None
    match = _CABINET.search(rest)
    if match:
        cabinet, rest = match.group(1), rest[: match.start()]
    match = _FLOOR.search(rest)
    if match:
        floor, rest = match.group(1), rest[: match.start()]
    settlement, _, tail = rest.partition(",")
    street, house = tail, None
    match = _HOUSE.match(tail.strip())
    if match:
        street, house = match.group(1), match.group(2)
    return Address(_clean(settlement), _clean(street), _clean(house or ""), floor, cabinet)
