"""Import the directory (annex 1, annex 3, section 6 of both standards) from the seed's text."""

from __future__ import annotations

import re
from dataclasses import replace

from directory.addresses import parse_address
from directory.contacts import split_contacts
from directory.districts import REGION, District, district_for_name
from directory.hours import parse_hours
from directory.phones import parse_phones, phone_tokens
from directory.records import (
    Akimat,
    Department,
    ImportReport,
    Issue,
    RegionalDepartment,
    RowSource,
    SeedDirectory,
    SourceValue,
)
from directory.review import Copy, check_copy, compare, review_reasons
from directory.seedtext import find_standards, lines_in, split_lines, table_header, table_rows
from directory.sharing import check_shared

SCHEDULE_MARK = "Жұмыс және қабылдау кестесі"
DEPARTMENT_FIELDS = (
    "name_kk",
    "head",
    "settlement",
    "street",
    "house",
    "floor",
    "cabinet",
    "phones",
    "emails",
    "hours",
)
AKIMAT_FIELDS = ("name_kk", "settlement", "street", "house", "phones", "web_sites", "emails")
REGIONAL_FIELDS = (
    "name_kk",
    "settlement",
    "street",
    "house",
    "phones",
    "emails",
    "hours",
    "head_reception",
    "deputy_reception",
)


def _quoted_name(text: str) -> str:
    """Return the institution's name inside its quotes ("..." ММ), else the text itself."""
    match = re.match(r'\s*["«“]([^"»”]+)["»”]', text)
    return (match.group(1) if match else text).strip()


def _cell(row: RowSource, index: int) -> SourceValue:
    if index < len(row.cells):
        line, text = row.cells[index]
        return SourceValue(text, row.standard, row.part, line)
    return SourceValue(None, row.standard, row.part, None)


def _joined(row: RowSource, start: int) -> SourceValue:
    cells = row.cells[start:]
    if not cells:
        return SourceValue(None, row.standard, row.part, None)
    return SourceValue(" ".join(t for _, t in cells), row.standard, row.part, cells[0][0])


def _stamp(items, src: SourceValue) -> list:
    return [replace(item, standard=src.standard, line=src.line) for item in items]


def _read_contacts(
    copy: Copy, default_area_code: str | None = None, cell_lines: list[tuple[int, str]] | None = None
) -> None:
    src = copy.cells["contacts"]
    cell_lines = cell_lines or [(src.line, src.text or "")]
    emails, sites, rests = [], [], []
    for line, text in cell_lines:  # a wrapped cell: each value keeps the line it is written on
        at = replace(src, line=line)
        found_emails, found_sites, rest = split_contacts(text)
        emails += _stamp(found_emails, at)
        sites += _stamp(found_sites, at)
        rests.append(rest)
    rest = " ".join(rests)
    phones = parse_phones(rest, default_area_code)
    leftover = re.sub(r"[\s,;.]+", " ", re.sub(r"[0-9][0-9\-]*", " ", rest)).strip()
    copy.put("phones", _stamp(phones, src), "contacts")
    copy.put("emails", emails, "contacts")
    copy.put("web_sites", sites, "contacts")
    copy.values["unparsed"] = leftover or None
    copy.values["lines"] = dict(cell_lines)


def _read_address(copy: Copy) -> None:
    address = parse_address(copy.cells["address"].text or "")
    for name in ("settlement", "street", "house", "floor", "cabinet"):
        copy.put(name, getattr(address, name), "address")


def _department_copy(row: RowSource) -> Copy:
    copy = Copy(row.standard, row.part)
    copy.cells.update(name=_cell(row, 0), head=_cell(row, 1), address=_cell(row, 2), contacts=_joined(row, 3))
    head_text = copy.cells["head"].text or ""
    head, mark, schedule = head_text.partition(SCHEDULE_MARK)
    copy.put("name_kk", _quoted_name(copy.cells["name"].text or ""), "name")
    _read_contacts(copy, cell_lines=row.cells[3:])
    copy.put("head", head.strip() or None, "head")
    hours = parse_hours(mark + schedule) if mark else None
    if hours:
        hours = replace(hours, standard=row.standard, line=copy.cells["head"].line)
    copy.put("hours", hours, "head")
    _read_address(copy)
    return copy


def _akimat_copy(row: RowSource) -> Copy:
    copy = Copy(row.standard, row.part)
    copy.cells.update(name=_cell(row, 0), address=_cell(row, 1), contacts=_joined(row, 2))
    copy.put("name_kk", (copy.cells["name"].text or "").strip(), "name")
    _read_address(copy)
    _read_contacts(copy, cell_lines=row.cells[2:])
    return copy


def _current(copies: list[Copy], name: str):
    for copy in copies:
        if copy.values.get(name) not in (None, "", []):
            return copy.values[name]
    return copies[0].values.get(name) if copies else None


def _group(lines, standards, part, reader) -> dict[str, tuple[District, int, list[Copy], list]]:
    grouped: dict[str, tuple[District, int, list[Copy], list]] = {}
    for std in standards:
        span = getattr(std, part)
        for row in table_rows(lines, span, std.number, part) if span else []:
            district = district_for_name(row.cells[0][1] if row.cells else "", row.number)
            if district is None:
                continue
            entry = grouped.setdefault(district.slug, (district, row.number, [], []))
            entry[2].append(reader(row))
            entry[3].append(row)
    return grouped


def _finish(entry: str, district, copies, report) -> None:
    for copy in copies:
        check_copy(entry, copy, district, report)


def parse_seed(text: str) -> SeedDirectory:
    """Parse the seed's text into departments, akimats, the regional department and a report."""
    report = ImportReport()
    lines = split_lines(text if isinstance(text, str) else "")
    standards = find_standards(lines)
    if len(standards) != 2:
        report.add(
            Issue(
                "anomaly",
                "standards_found",
                "seed",
                "standards",
                (),
                detail=f"{len(standards)} standard(s) found, 2 expected",
            )
        )
    departments = []
    for slug, (district, number, copies, rows) in _group(lines, standards, "annex1", _department_copy).items():
        entry = f"department:{slug}"
        compare(entry, copies, DEPARTMENT_FIELDS, report, extras=("hours",))
        _finish(entry, district, copies, report)
        c = lambda name: _current(copies, name)  # noqa: E731
        departments.append(
            Department(
                number,
                slug,
                district.name_kk,
                district.name_ru,
                c("name_kk") or "",
                copies[0].cells["name"].text or "",
                c("head") or "",
                c("settlement"),
                c("street"),
                c("house"),
                c("floor"),
                c("cabinet"),
                copies[0].cells["address"].text or "",
                list(copies[0].values["phones"]),
                list(copies[0].values["emails"]),
                c("hours"),
                sources=rows,
            )
        )
    akimats = []
    for slug, (district, number, copies, rows) in _group(lines, standards, "annex3", _akimat_copy).items():
        entry = f"akimat:{slug}"
        compare(entry, copies, AKIMAT_FIELDS, report)
        _finish(entry, district, copies, report)
        first = copies[0]
        akimats.append(
            Akimat(
                number,
                slug,
                district.name_kk,
                district.name_ru,
                first.values["name_kk"],
                first.values["settlement"],
                first.values["street"],
                first.values["house"],
                first.cells["address"].text or "",
                list(first.values["phones"]),
                list(first.values["web_sites"]),
                list(first.values["emails"]),
                first.cells["contacts"].text or "",
                sources=rows,
            )
        )
    _compare_headers(lines, standards, report)
    regional = _regional(lines, standards, report)
    check_shared(departments, akimats, regional, report)
    for item in [*departments, *akimats, *([regional] if regional else [])]:
        kind = type(item).__name__.lower().replace("regionaldepartment", "regional")
        item.review_reasons = review_reasons(report, f"{kind}:{item.district}")
        item.needs_review = bool(item.review_reasons)
    return SeedDirectory(departments, akimats, regional, report)


def _compare_headers(lines, standards, report: ImportReport) -> None:
    """Report a table whose column headings differ between the two standards."""
    for part in ("annex1", "annex3"):
        spans = [(std.number, getattr(std, part)) for std in standards if getattr(std, part)]
        heads = [(n, *table_header(lines, span)) for n, span in spans]
        if len(heads) == 2 and heads[0][1] != heads[1][1]:
            values = tuple(SourceValue(text, n, part, line) for n, text, line in heads)
            report.add(
                Issue("difference", "source_text_differs", f"table:{part}", "header", values, current=heads[0][1])
            )


def _regional_copy(lines, std) -> Copy | None:
    if not std.section6:
        return None
    copy = Copy(std.number, "section6")
    found = {}
    for no, line in lines_in(lines, std.section6):
        src = SourceValue(line, std.number, "section6", no)
        if "басқармасы" in line and "name" not in found:
            found["name"] = src
        elif "пошта" in line.lower() and "@" in line:
            found["contacts_email"] = src
        elif "үзіліс" in line:
            found["hours"] = src
        elif line.startswith("Бастықтың"):
            found["head_reception"] = src
        elif line.startswith("Бастық орынбасарының"):
            found["deputy_reception"] = src
    if "name" not in found:
        return None
    name_line = found["name"].text or ""
    copy.cells["name"] = found["name"]
    match = re.search(r"мекемесі,\s*(.*?),\s*(телефон|үнсандық|тел\.?)\s*(.*?)\.?\s*$", name_line)
    address, phones = (match.group(1), match.group(3)) if match else ("", "")
    copy.cells["address"] = replace(found["name"], text=address)
    copy.cells["contacts"] = replace(found["name"], text=phones)
    copy.put("name_kk", _quoted_name(re.sub(r"^\d+\)\s*", "", name_line)), "name")
    _read_address(copy)
    copy.put("phones", _stamp(parse_phones(phones, REGION.area_code), found["name"]), "contacts")
    email_src = found.get("contacts_email", SourceValue(None, std.number, "section6", None))
    copy.cells["email"] = email_src
    copy.put("emails", _stamp(split_contacts(email_src.text or "")[0], email_src), "email")
    for name in ("hours", "head_reception", "deputy_reception"):
        src = found.get(name, SourceValue(None, std.number, "section6", None))
        copy.cells[name] = src
        hours = parse_hours(src.text or "")
        copy.put(name, hours and replace(hours, standard=src.standard, line=src.line), name)
    return copy


def _regional(lines, standards, report: ImportReport) -> RegionalDepartment | None:
    copies = [c for c in (_regional_copy(lines, std) for std in standards) if c]
    if not copies:
        return None
    entry = "regional:region"
    compare(entry, copies, REGIONAL_FIELDS, report)
    _finish(entry, REGION, copies, report)
    for copy in copies:
        hours = copy.values.get("hours")
        if hours and len(hours.weekdays) == 7:
            report.add(
                Issue(
                    "anomaly",
                    "weekends_not_excluded",
                    entry,
                    "hours",
                    (copy.texts["hours"],),
                    current=",".join(hours.weekdays),
                )
            )
    first = copies[0]
    c = lambda name: _current(copies, name)  # noqa: E731
    return RegionalDepartment(
        REGION.slug,
        c("name_kk") or "",
        c("settlement"),
        c("street"),
        c("house"),
        first.cells["address"].text or "",
        list(first.values["phones"]),
        list(c("emails") or []),
        c("hours"),
        c("head_reception"),
        c("deputy_reception"),
        sources=[src for copy in copies for src in copy.cells.values() if src.text],
    )
