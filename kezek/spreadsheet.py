"""The one guard every CSV and XLSX file goes through: a cell's text is shown, never run as a formula."""
from __future__ import annotations

import re

# Spreadsheets run a cell that starts with one of these as a formula (or a DDE command), also after
# leading spaces, and some read the full-width forms as the ASCII ones.
_TRIGGERS = frozenset("=+-@\t\r\n＝＋－＠")
# Phone numbers ("+77262345124; +77262342879") and signed numbers are data: their leading + or - stays.
# Without letters they cannot name a cell, a function or a command, so a spreadsheet can do no harm with them.
_NUMBER_LIKE = re.compile(r"^[+-]?[0-9(][0-9 ()+\-;.,]*$")


def safe_cell(value):
    """`value` as a cell: text that a spreadsheet would run gets a leading apostrophe; other values pass."""
    if not isinstance(value, str) or not value:
        return value
    start = value.lstrip(" \u00a0")
    if start and start[0] in _TRIGGERS and not _NUMBER_LIKE.match(start):
        return "'" + value
    return value
