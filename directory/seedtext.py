"""Find the two standards, their annex 1 and 3 tables and section 6 in the seed's text, with lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from directory.records import RowSource

STANDARD_HEADING = "Мемлекеттік қызмет көрсетудің стандарты"
ANNEX_HEADING = re.compile(r"^\s*Стандарттың\s+N\s*(\d+)\s+қосымша")
ROW_START = re.compile(r"^\t\s*(\d{1,3})\s*$")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
SECTION6_HEADING = re.compile(r"^\s*6\.\s*Байланыс ақпараты")


@dataclass
class StandardText:
    """One standard's parts: line ranges (1-based, end exclusive) of annex 1, annex 3, section 6."""

    number: int
    annex1: tuple[int, int] | None = None
    annex3: tuple[int, int] | None = None
    section6: tuple[int, int] | None = None


def split_lines(text: str) -> list[str]:
    """Split the seed on newlines only (the seed's cells never hold other line breaks)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def find_standards(lines: list[str]) -> list[StandardText]:
    """Locate each standard (at most two) and its parts by their headings."""
    starts = [i + 1 for i, line in enumerate(lines) if STANDARD_HEADING in line]
    standards = []
    for n, start in enumerate(starts[:2], 1):
        end = starts[n] if n < len(starts) else len(lines) + 1
        std = StandardText(n)
        headings = []
        for no in range(start, end):
            line = lines[no - 1]
            match = ANNEX_HEADING.match(line)
            if match:
                headings.append((no, "annex" + match.group(1)))
            elif SECTION6_HEADING.match(line):
                headings.append((no, "section6"))
        for k, (no, part) in enumerate(headings):
            stop = headings[k + 1][0] if k + 1 < len(headings) else end
            if part in ("annex1", "annex3", "section6") and getattr(std, part) is None:
                setattr(std, part, (no, stop))
        standards.append(std)
    return standards


def table_rows(lines: list[str], span: tuple[int, int], standard: int, part: str) -> list[RowSource]:
    """Return the numbered rows of a table: each row's number, first line and non-blank cells."""
    rows: list[RowSource] = []
    for no in range(span[0], span[1]):
        line = lines[no - 1]
        match = ROW_START.match(line)
        if match:
            rows.append(RowSource(standard, part, int(match.group(1)), no, []))
        elif rows and line.strip() and (line.startswith("\t") or not _CYRILLIC.search(line)):
            # A cell may wrap onto an untabbed line (an e-mail after a blank line); untabbed
            # Kazakh text is the next block's heading, not part of the row.
            rows[-1].cells.append((no, line.strip()))
        elif rows and line.strip():
            break
    return rows


def lines_in(lines: list[str], span: tuple[int, int]) -> list[tuple[int, str]]:
    """Return the non-blank lines of a span, stripped, with their numbers."""
    return [(no, lines[no - 1].strip()) for no in range(span[0], span[1]) if lines[no - 1].strip()]


def table_header(lines: list[str], span: tuple[int, int]) -> tuple[str, int]:
    """Return the column headings of a table (the tabbed lines before its first row) and line."""
    cells = []
    for no in range(span[0] + 1, span[1]):
        line = lines[no - 1]
        if ROW_START.match(line):
            break
        if line.startswith("\t") and line.strip():
            cells.append((no, line.strip()))
    return (" | ".join(t for _, t in cells), cells[0][0] if cells else span[0])
