"""E-mail addresses and web sites in the seed's contact cells: extraction, trimming, checks."""

from __future__ import annotations

import re

from directory.records import Email, WebSite

# A local part may hold stray spaces after "_", "." or "-" ("Moinkum_ akimat"), and spaces may
# surround "@" ("TRS2008@ topmail.kz"); both are kept in the source text and trimmed here.
_EMAIL = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+\-]*(?:(?<=[_.\-]) +[A-Za-z0-9._%+\-]+)*"
    r" *@ *[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
)
_WEB = re.compile(r"(?:https?://)?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+/?")
KNOWN_TLDS = frozenset({"kz", "ru", "com", "net", "org", "info", "gov", "edu", "su", "biz"})


def split_contacts(text: str) -> tuple[list[Email], list[WebSite], str]:
    """Take e-mails and web sites out of a contact text; return them and the remaining text."""
    emails = [Email(re.sub(r"\s+", "", m.group()), m.group()) for m in _EMAIL.finditer(text)]
    rest = _EMAIL.sub(" ", text)
    sites = []
    for match in _WEB.finditer(rest):
        if re.search(r"[A-Za-z]", match.group()):
            host = re.sub(r"^https?://", "", match.group()).rstrip("/").lower()
            sites.append(WebSite(host, match.group()))
    rest = _WEB.sub(lambda m: " " if re.search(r"[A-Za-z]", m.group()) else m.group(), rest)
    return emails, sites, rest


def email_problems(email: Email) -> list[str]:
    """Return anomaly codes for an e-mail: stray spaces, unknown top-level domain."""
    problems = []
    if email.source != email.address:
        problems.append("email_spaces")
    if email.address.rsplit(".", 1)[-1].lower() not in KNOWN_TLDS:
        problems.append("email_domain_suspect")
    return problems


def _distance(a: str, b: str) -> int:
    """Levenshtein distance, small strings only."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def web_problems(site: WebSite, district_latin: str, other_latins: tuple[str, ...] = ()) -> list[str]:
    """Return anomaly codes for a web site: unknown TLD, misspelt or another district's name."""
    problems = []
    labels = site.host.split(".")
    if labels[-1] not in KNOWN_TLDS:
        problems.append("web_domain_suspect")
    words = [w for label in labels[:-1] if label != "www" for w in re.split(r"[-_]", label)]
    if district_latin and not any(district_latin in label for label in labels):
        if any(len(w) > 3 and _distance(w[: len(district_latin) + 1], district_latin) <= 1 for w in words):
            problems.append("web_name_misspelt")
        elif any(_distance(w, other) <= 1 for w in words for other in other_latins):
            problems.append("web_names_other_district")
    return problems
