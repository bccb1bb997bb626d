"""What the import doubts about an entry, as a reader must see it: the other copy's phones, suspect web
addresses, doubtful hours. Read from the entry's stored seed issues while their review reason is open."""
from __future__ import annotations

from directory.districts import BY_SLUG, REGION
from directory.phones import parse_phones

# Web anomalies after which an address is shown but not linked: it may lead nowhere or elsewhere.
SUSPECT_WEB = ("web_domain_suspect", "web_name_misspelt", "web_names_other_district")
DOUBTFUL_HOURS = ("weekends_not_excluded",)


def _open(entry, issue: dict) -> bool:
    code = f"{issue.get('category')}:{issue.get('kind')}:{issue.get('field')}"
    return code in (entry.review_reasons or [])


def other_copy_phones(entry) -> list[dict]:
    """Valid numbers that only the resolution's other copy gives, while that conflict is open:
    [{"e164", "source", "standard", "line"}]."""
    district = BY_SLUG.get(entry.district, REGION if entry.district == REGION.slug else None)
    area = district.area_code if district else None
    known = {p.get("e164") for p in entry.phones or []}
    found = []
    for issue in entry.seed_issues or []:
        if issue.get("field") != "phones" or issue.get("category") != "conflict" or not _open(entry, issue):
            continue
        for value in issue.get("values", []):
            for phone in parse_phones(value.get("text") or "", area):
                if phone.valid and phone.e164 not in known:
                    known.add(phone.e164)
                    found.append({"e164": phone.e164, "source": phone.source,
                                  "standard": value.get("standard"), "line": value.get("line")})
    return found


def suspect_sites(entry) -> dict[str, str]:
    """Web hosts an open anomaly doubts, with the anomaly's kind: shown as text, never as a link."""
    return {issue["current"]: issue["kind"] for issue in entry.seed_issues or []
            if issue.get("field") == "web_sites" and issue.get("kind") in SUSPECT_WEB
            and issue.get("current") and _open(entry, issue)}


def hours_doubt(entry) -> str | None:
    """The kind of an open doubt about the entry's hours (e.g. the weekend not excluded), or None."""
    return next((issue["kind"] for issue in entry.seed_issues or []
                 if issue.get("field") == "hours" and issue.get("kind") in DOUBTFUL_HOURS and _open(entry, issue)),
                None)
