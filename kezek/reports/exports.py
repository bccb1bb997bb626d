"""CSV and XLSX files of report tables (no Flask): streamed CSV, write-only XLSX with real dates and numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kezek.reports.log import LogRow
from kezek.spreadsheet import safe_cell

# Width (in characters) of each log column in the XLSX file.
LOG_WIDTHS = (28, 30, 9, 17, 17, 17, 17, 9, 12, 9, 9, 20, 12, 11, 8, 10, 11, 30)


@dataclass
class Sheet:
    """One worksheet: a title, the header row, the data rows and each column's width."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]
    widths: Sequence[int] = ()
    heading: Sequence[str] = ()  # lines above the table (what the sheet is about), bold


def log_values(row: LogRow, lang: str, outcomes: dict[str, str], yes_no: tuple[str, str]) -> list:
    """A log row as cell values: names in `lang`, local datetimes, minutes as numbers."""
    held = None if row.limit_held is None else yes_no[0 if row.limit_held else 1]
    return [
        row.office.name(lang),
        f"{row.visit_kind.service.name(lang)} · {row.visit_kind.name(lang)}",
        row.label,
        row.issued,
        row.called,
        row.started,
        row.finished,
        row.wait,
        row.wait_open,
        row.service,
        row.limit,
        row.cabinet,
        row.clerk,
        outcomes.get(row.outcome, row.outcome),
        yes_no[0] if row.transferred else yes_no[1],
        row.recalls,
        held,
        row.note,
    ]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _excel_text(value) -> str:
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return _text(value)


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence], every: int = 500, excel: bool = False) -> Iterator[str]:
    """The CSV text (UTF-8 with a byte-order mark so spreadsheets read Cyrillic) in chunks, for streaming.

    `excel`: the form Excel opens in columns with Russian or Kazakh regional settings, which expect
    semicolons between fields and a decimal comma.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel else ",")
    text = _excel_text if excel else _text
    buffer.write("\ufeff")
    writer.writerow([safe_cell(_text(title)) for title in header])
    for count, row in enumerate(rows, 1):
        writer.writerow([safe_cell(text(value)) for value in row])
        if count % every == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(target: IO[bytes], sheets: Sequence[Sheet]) -> None:
    """Write `sheets` to `target` as XLSX: bold frozen header, column widths, dates and numbers as such."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])
        for index, width in enumerate(sheet.widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = f"A{len(sheet.heading) + 3 if sheet.heading else 2}"  # below the heading, a gap, the header
        for line in sheet.heading:
            cell = WriteOnlyCell(ws, value=line)
            cell.font = Font(bold=True)
            ws.append([cell])
        if sheet.heading:
            ws.append([])
        header = []
        for title in sheet.header:
            cell = WriteOnlyCell(ws, value=safe_cell(str(title)))
            cell.font = Font(bold=True)
            header.append(cell)
        ws.append(header)
        for row in sheet.rows:
            ws.append([_cell(ws, value) for value in row])
    book.save(target)


def _cell(ws, value):
    if isinstance(value, datetime):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return safe_cell(value)  # openpyxl would store text starting with "=" as a real formula
