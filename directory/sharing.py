"""Checks across entries: an akimat sharing a department's e-mail or address, a shared phone."""

from __future__ import annotations

from directory.records import (
    Akimat,
    Department,
    ImportReport,
    Issue,
    RegionalDepartment,
    SourceValue,
)


def check_shared(
    departments: list[Department], akimats: list[Akimat], regional: RegionalDepartment | None, report: ImportReport
) -> None:
    """Report values that two different offices share, which usually means a copied cell."""
    by_district = {d.district: d for d in departments}
    for akimat in akimats:
        dept = by_district.get(akimat.district)
        if dept is None:
            continue
        entry = f"akimat:{akimat.district}"
        dept_emails = {e.address.lower() for e in dept.emails}
        for email in akimat.emails:
            if email.address.lower() in dept_emails:
                report.add(_shared("email_shared_with_department", entry, "emails", akimat, dept, email.address))
        place = (akimat.settlement, akimat.street, akimat.house)
        if akimat.street and place == (dept.settlement, dept.street, dept.house):
            report.add(
                _shared(
                    "address_shared_with_department", entry, "address", akimat, dept, ", ".join(p for p in place if p)
                )
            )
    seen: dict[str, str] = {}
    offices = [("department", d) for d in departments] + [("akimat", a) for a in akimats]
    offices += [("regional", regional)] if regional else []
    for kind, office in offices:
        for phone in office.phones:
            key = f"{kind}:{office.district}"
            if phone.e164 and seen.setdefault(phone.e164, key) != key:
                report.add(
                    Issue(
                        "anomaly",
                        "phone_shared",
                        key,
                        "phones",
                        (),
                        current=phone.e164,
                        detail=f"also listed for {seen[phone.e164]}",
                    )
                )


def _cell_of(office, index: int) -> SourceValue:
    row = office.sources[0] if office.sources else None
    if row is None or len(row.cells) <= index:
        return SourceValue(None, 0, "", None)
    return SourceValue(row.cells[index][1], row.standard, row.part, row.cells[index][0])


def _shared(kind, entry, field, akimat, dept, value) -> Issue:
    # akimat rows: name, address, contacts...; department rows: name, head, address, contacts...
    akimat_index, dept_index = (1, 2) if field == "address" else (2, 3)
    values = (_cell_of(akimat, akimat_index), _cell_of(dept, dept_index))
    return Issue("anomaly", kind, entry, field, values, current=value, detail=f"same as department:{dept.district}")
