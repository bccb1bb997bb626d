"""Phone numbers as the seed writes them, normalised to E.164 (Kazakhstan, +7) or reported."""

from __future__ import annotations

import re

import phonenumbers

from directory.districts import AREA_CODES
from directory.records import Phone

NATIONAL_LENGTH = 10  # Kazakh national numbers: area code + local number, 10 digits in all
_TOKEN = re.compile(r"[0-9][0-9\-]*[0-9]|[0-9]")


def phone_tokens(text: str) -> list[str]:
    """Return the phone-like tokens of a text: runs of ASCII digits and dashes."""
    return _TOKEN.findall(text or "")


def _guess_area_code(national: str) -> str | None:
    for code in AREA_CODES:
        if national.startswith(code):
            return code
    return None


def _check(national: str) -> tuple[str | None, bool, str | None]:
    if not national.isdigit() or len(national) != NATIONAL_LENGTH:
        return None, False, "length"
    try:
        number = phonenumbers.parse("+7" + national, None)
    except phonenumbers.NumberParseException:
        return None, False, "unparseable"
    if not phonenumbers.is_valid_number(number):
        return None, False, "not_valid"
    if phonenumbers.region_code_for_number(number) != "KZ":
        return None, False, "not_kazakh"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), True, None


def normalise_phone(token: str, previous_area_code: str | None = None, default_area_code: str | None = None) -> Phone:
    """Normalise one token; a short local number takes the previous or the default area code."""
    digits = token.replace("-", "")
    parts = token.split("-")
    area_code: str | None = None
    area_from = "written"
    if len(digits) == 11 and digits[0] in "78":
        national = digits[1:]
        area_code = parts[1] if len(parts) >= 3 and parts[1].isdigit() else _guess_area_code(national)
    elif len(digits) == NATIONAL_LENGTH and digits[0] == "7":
        national = digits
        area_code = _guess_area_code(national)
    elif len(digits) <= 7 and previous_area_code:
        national, area_code, area_from = previous_area_code + digits, previous_area_code, "previous"
    elif len(digits) <= 7 and default_area_code:
        national, area_code, area_from = default_area_code + digits, default_area_code, "assumed"
    else:
        return Phone(None, token, digits, False, "no_area_code" if len(digits) <= 7 else "length")
    e164, valid, problem = _check(national)
    return Phone(e164, token, national, valid, problem, area_code, area_from)


def parse_phones(text: str, default_area_code: str | None = None) -> list[Phone]:
    """Read every number in a text; later short numbers share the first one's area code."""
    phones: list[Phone] = []
    area_code: str | None = None
    for token in phone_tokens(text):
        phone = normalise_phone(token, area_code, default_area_code)
        if phone.area_code_from == "written" and phone.area_code:
            area_code = phone.area_code
        phones.append(phone)
    return phones


def normalise_typed_phone(text: str) -> Phone:
    """Normalise a number an administrator typed (+7 7262 34-51-24, 8 (72637) 21971, 7262345124)."""
    digits = re.sub(r"[^0-9]", "", text or "")
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    e164, valid, problem = _check(digits)
    return Phone(e164, (text or "").strip(), digits, valid, problem, _guess_area_code(digits))


def display_phone(e164: str) -> str:
    """A number as people in Kazakhstan write it, one style everywhere: 8 (72642) 2 47 21 (links keep E.164)."""
    try:
        number = phonenumbers.parse(e164, "KZ")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
