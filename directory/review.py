"""Compare the two copies of an entry and check each copy: conflicts, anomalies, text differences."""

from __future__ import annotations

from dataclasses import dataclass, field

from directory.contacts import email_problems, web_problems
from directory.districts import DISTRICTS, SPELLING_VARIANTS, SUSPECT_WORDS, District
from directory.records import Email, ImportReport, Issue, Phone, SourceValue, WebSite


@dataclass
class Copy:
    """One standard's copy of an entry: normalised field values and the source cell of each."""

    standard: int
    part: str
    values: dict[str, object] = field(default_factory=dict)
    texts: dict[str, SourceValue] = field(default_factory=dict)
    cells: dict[str, SourceValue] = field(default_factory=dict)

    def put(self, name: str, value: object, cell: str) -> None:
        """Set a field's value and remember the cell it was read from."""
        self.values[name] = value
        self.texts[name] = self.cells[cell]


def _shown(value: object) -> str | None:
    if isinstance(value, (list, tuple)):
        shown = [_shown(v) for v in value]
        return ", ".join(s for s in shown if s) or None
    if isinstance(value, Phone):
        return value.e164 or value.source
    if isinstance(value, Email):
        return value.address
    if isinstance(value, WebSite):
        return value.host
    if hasattr(value, "opens"):
        return f"{','.join(value.weekdays)} {value.opens}-{value.closes}" + (
            f" lunch {value.lunch_start}-{value.lunch_end}" if value.lunch_start else ""
        )
    return None if value in (None, "") else str(value)


def compare(
    entry: str, copies: list[Copy], fields: tuple[str, ...], report: ImportReport, extras: tuple[str, ...] = ()
) -> None:
    """Report fields whose values differ, are missing in one copy, or whose source texts differ."""
    if len(copies) < 2:
        have = copies[0].standard if copies else None
        values = tuple(SourceValue(None, c.standard, c.part, None) for c in copies)
        report.add(
            Issue(
                "conflict",
                f"missing_in_standard_{3 - have if have else 1}",
                entry,
                "row",
                values,
                detail="only one standard lists this entry",
            )
        )
        return
    first, second = copies[0], copies[1]
    for name in fields:
        a, b = _shown(first.values.get(name)), _shown(second.values.get(name))
        if a == b:
            continue
        values = (_at(first, name), _at(second, name))
        if b is None:
            kind = "missing_in_standard_2"
        elif a is None:
            kind = "only_in_standard_2" if name in extras else "missing_in_standard_1"
        else:
            kind = "differs"
        category = "difference" if kind == "only_in_standard_2" else "conflict"
        report.add(
            Issue(category, kind, entry, name, values, current=a, detail=f"standard 1: {a!r}; standard 2: {b!r}")
        )
    for cell, one in first.cells.items():
        two = second.cells.get(cell)
        if two is not None and one.text != two.text:
            report.add(Issue("difference", "source_text_differs", entry, cell, (one, two), current=one.text))


def _at(copy: Copy, name: str) -> SourceValue:
    src = copy.texts.get(name)
    if src is None:
        return SourceValue(None, copy.standard, copy.part, None)
    return src


def _anomaly(
    report: ImportReport,
    kind: str,
    entry: str,
    name: str,
    src: SourceValue,
    detail: str | None = None,
    current: str | None = None,
) -> None:
    report.add(Issue("anomaly", kind, entry, name, (src,), current=current, detail=detail))


def _where(copy: Copy, name: str, item) -> SourceValue:
    """The source of one value: the line of the cell it is written on."""
    src = copy.texts[name]
    line = getattr(item, "line", None) or src.line
    text = (copy.values.get("lines") or {}).get(line, src.text)
    return SourceValue(text, src.standard, src.part, line)


def check_copy(entry: str, copy: Copy, district: District | None, report: ImportReport) -> None:
    """Report what is wrong inside one copy: phones, e-mails, web sites, spellings, quotes."""
    for phone in copy.values.get("phones") or []:
        src = copy.texts["phones"]
        if not phone.valid:
            _anomaly(
                report,
                "phone_invalid",
                entry,
                "phones",
                src,
                f"{phone.source!r} read as national number {phone.national!r}: {phone.problem}",
            )
        elif phone.area_code_from == "assumed":
            _anomaly(
                report,
                "phone_area_code_assumed",
                entry,
                "phones",
                src,
                f"{phone.source!r} has no area code; {phone.area_code} assumed",
                phone.e164,
            )
        if phone.valid and district and district.slug != "region" and phone.area_code != district.area_code:
            _anomaly(report, "phone_area_code_other_district", entry, "phones", src, phone.source)
    for email in copy.values.get("emails") or []:
        for kind in email_problems(email):
            _anomaly(
                report,
                kind,
                entry,
                "emails",
                _where(copy, "emails", email),
                f"{email.source!r} -> {email.address!r}",
                email.address,
            )
    others = tuple(d.latin for d in DISTRICTS if district is None or d.slug != district.slug)
    for site in copy.values.get("web_sites") or []:
        for kind in web_problems(site, district.latin if district else "", others):
            _anomaly(report, kind, entry, "web_sites", _where(copy, "web_sites", site), site.source, site.host)
    for cell, src in copy.cells.items():
        text = src.text or ""
        for variant, standard in {**SPELLING_VARIANTS, **SUSPECT_WORDS}.items():
            if variant in text:
                _anomaly(report, "spelling_suspect", entry, cell, src, f"{variant!r} (usual spelling {standard!r})")
        if text.count('"') % 2 or text.count("»") != text.count("«"):
            _anomaly(report, "unbalanced_quotes", entry, cell, src)
    leftover = copy.values.get("unparsed")
    if leftover:
        _anomaly(report, "unparsed_text", entry, "contacts", copy.cells["contacts"], leftover)


def review_reasons(report: ImportReport, entry: str) -> list[str]:
    """Return the entry's conflict and anomaly codes as "category:kind:field", once each."""
    reasons: list[str] = []
    for issue in report.conflicts + report.anomalies:
        code = f"{issue.category}:{issue.kind}:{issue.field}"
        if issue.entry == entry and code not in reasons:
            reasons.append(code)
    return reasons
