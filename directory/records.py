"""Plain dataclasses produced by the seed directory importer, each with a JSON-ready to_dict()."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


def _listify(value):
    if isinstance(value, (list, tuple)):
        return [_listify(v) for v in value]
    if isinstance(value, dict):
        return {k: _listify(v) for k, v in value.items()}
    return value


def _as_dict(obj) -> dict:
    """Return a JSON-ready dict of a dataclass (tuples become lists)."""
    return _listify(asdict(obj))


@dataclass(frozen=True)
class SourceRef:
    """Where a text comes from: standard 1 or 2, its part (annex1, annex3, section6) and line."""

    standard: int
    part: str
    line: int


@dataclass(frozen=True)
class SourceValue:
    """A value exactly as the seed writes it, with where it is written."""

    text: str | None
    standard: int
    part: str
    line: int | None


@dataclass(frozen=True)
class Phone:
    """A phone number: E.164 when valid, always with the source text it was read from."""

    e164: str | None
    source: str
    national: str
    valid: bool
    problem: str | None = None
    area_code: str | None = None
    area_code_from: str = "written"  # written | previous (shared with the number before) | assumed
    standard: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class Email:
    """An e-mail address, trimmed of stray spaces, with its source text."""

    address: str
    source: str
    standard: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class WebSite:
    """A web address as a host name, with its source text."""

    host: str
    source: str
    standard: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class Hours:
    """Opening or reception hours: weekdays (mon..sun), times as HH:MM, optional lunch break."""

    weekdays: tuple[str, ...]
    opens: str
    closes: str
    lunch_start: str | None
    lunch_end: str | None
    source: str
    standard: int | None = None
    line: int | None = None


@dataclass
class RowSource:
    """One copy of a table row: the standard, annex, first line and raw cells with their lines."""

    standard: int
    part: str
    number: int
    line: int
    cells: list[tuple[int, str]]


@dataclass
class Department:
    """A district/city department of employment and social programmes (annex 1)."""

    number: int
    district: str
    district_name: str
    district_name_ru: str
    name_kk: str
    name_source: str
    head: str
    settlement: str | None
    street: str | None
    house: str | None
    floor: str | None
    cabinet: str | None
    address_source: str
    phones: list[Phone]
    emails: list[Email]
    hours: Hours | None
    needs_review: bool = False
    review_reasons: list[str] = field(default_factory=list)
    sources: list[RowSource] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return _as_dict(self)


@dataclass
class Akimat:
    """A city/district akimat that takes complaints (annex 3)."""

    number: int
    district: str
    district_name: str
    district_name_ru: str
    name_kk: str
    settlement: str | None
    street: str | None
    house: str | None
    address_source: str
    phones: list[Phone]
    web_sites: list[WebSite]
    emails: list[Email]
    contacts_source: str
    needs_review: bool = False
    review_reasons: list[str] = field(default_factory=list)
    sources: list[RowSource] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return _as_dict(self)


@dataclass
class RegionalDepartment:
    """The regional department named in section 6 of each standard."""

    district: str
    name_kk: str
    settlement: str | None
    street: str | None
    house: str | None
    address_source: str
    phones: list[Phone]
    emails: list[Email]
    hours: Hours | None
    head_reception: Hours | None
    deputy_reception: Hours | None
    needs_review: bool = False
    review_reasons: list[str] = field(default_factory=list)
    sources: list[SourceValue] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return _as_dict(self)


@dataclass(frozen=True)
class Issue:
    """One finding: category conflict|anomaly|difference, a kind code, the entry, field and texts."""

    category: str
    kind: str
    entry: str
    field: str
    values: tuple[SourceValue, ...]
    current: str | None = None
    detail: str | None = None


@dataclass
class ImportReport:
    """Everything the import found: conflicts between the copies, anomalies and text differences."""

    conflicts: list[Issue] = field(default_factory=list)
    anomalies: list[Issue] = field(default_factory=list)
    differences: list[Issue] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        """File an issue under its category, once."""
        bucket = {"conflict": self.conflicts, "anomaly": self.anomalies}.get(issue.category, self.differences)
        if issue not in bucket:
            bucket.append(issue)

    def for_entry(self, entry: str) -> list[Issue]:
        """Return every issue that names the entry (e.g. "akimat:shu")."""
        return [i for i in self.conflicts + self.anomalies + self.differences if i.entry == entry]

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return _as_dict(self)


@dataclass
class SeedDirectory:
    """The directory read from the seed: departments, akimats, the regional department, the report."""

    departments: list[Department]
    akimats: list[Akimat]
    regional: RegionalDepartment | None
    report: ImportReport
    source_name: str = "resolution N 120 of the Zhambyl region akimat, 25 April 2008"

    def department(self, district: str) -> Department | None:
        """Return the department of a district slug, or None."""
        return next((d for d in self.departments if d.district == district), None)

    def akimat(self, district: str) -> Akimat | None:
        """Return the akimat of a district slug, or None."""
        return next((a for a in self.akimats if a.district == district), None)

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return _as_dict(self)
