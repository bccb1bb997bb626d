"""A ticket's phone code: unguessable, and made of characters a visitor cannot mistake for others."""

from __future__ import annotations

import secrets

# Digits and capital letters without the look-alikes 0/O, 1/I/L (and no lower case at all, so l never
# appears): a visitor who types the code from the paper cannot confuse two of its characters.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# 31 symbols, 12 characters: about 59 bits, far beyond guessing one of a day's tickets through the page.
LENGTH = 12


def new_code() -> str:
    """A fresh random phone code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def typed_code(text: str) -> str:
    """A code as a visitor may type it (lower case) in the form codes are issued in; others unchanged."""
    upper = text.upper()
    return upper if len(text) == LENGTH and all(char in ALPHABET for char in upper) else text
