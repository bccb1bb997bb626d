"""Translated words for the directory's codes: review reasons, fields, form errors, seed parts, hours."""
from __future__ import annotations

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from directory.hours import WEEK

CATEGORIES = {
    "conflict": _l("The two copies in the resolution disagree"),
    "anomaly": _l("The resolution's text looks wrong"),
    "difference": _l("The two copies are written differently"),
}
KINDS = {
    "differs": _l("the two standards give different values"),
    "missing_in_standard_1": _l("missing in the first standard"),
    "missing_in_standard_2": _l("missing in the second standard"),
    "only_in_standard_2": _l("given only in the second standard"),
    "source_text_differs": _l("written differently in the two standards"),
    "phone_invalid": _l("a phone number cannot be valid"),
    "phone_area_code_assumed": _l("a phone number has no area code; the Taraz code was assumed"),
    "phone_area_code_other_district": _l("a phone number has another district's area code"),
    "email_spaces": _l("an e-mail address had spaces in it"),
    "email_shared_with_department": _l("the e-mail address is the department's"),
    "address_shared_with_department": _l("the address is the department's"),
    "web_domain_suspect": _l("the web address ends in no real domain"),
    "web_name_misspelt": _l("the web address looks misspelt"),
    "web_names_other_district": _l("the web address names another district"),
    "spelling_suspect": _l("a name looks misspelt"),
    "unbalanced_quotes": _l("quote marks do not pair up"),
    "weekends_not_excluded": _l("the hours do not say the weekend is off"),
    "unparsed_text": _l("some text could not be read"),
}
FIELDS = {
    "name": _l("Name"), "name_kk": _l("Name in Kazakh"), "name_ru": _l("Name in Russian"),
    "name_en": _l("Name in English"), "head": _l("Head"), "settlement": _l("Settlement"),
    "street": _l("Street"), "house": _l("House"), "floor": _l("Floor"), "cabinet": _l("Cabinet"),
    "address": _l("Address"), "phones": _l("Phones"), "emails": _l("E-mail"), "web_sites": _l("Web site"),
    "contacts": _l("Contacts"), "hours": _l("Hours"), "receptions": _l("Reception days"),
    "number": _l("Number in the annex"), "review_reasons": _l("Needs review"), "row": _l("Row"),
}
ERRORS = {
    "too_long": _l("This is too long."),
    "too_many": _l("Too many lines."),
    "control_characters": _l("This contains characters that cannot be shown."),
    "markup": _l("The characters < and > are not allowed here."),
    "required": _l("This cannot be empty."),
    "phone_invalid": _l("A phone number is not a valid Kazakh number (10 digits with the area code)."),
    "email_invalid": _l("An e-mail address is not valid."),
    "web_invalid": _l("A web address is not valid."),
    "weekdays_invalid": _l("Choose the days the office receives visitors."),
    "time_invalid": _l("Write times as HH:MM; closing after opening, the lunch break inside them."),
    "unknown_reason": _l("That review reason is not open on this entry."),
}
PARTS = {"annex1": _l("annex 1"), "annex3": _l("annex 3"), "section6": _l("section 6")}
KIND_NAMES = {
    "regional": _l("Regional department"), "department": _l("Department"), "akimat": _l("Akimat"),
}


def reason_text(code: str) -> str:
    """A review reason code (category:kind:field) as a sentence in the page's language."""
    category, _sep, rest = code.partition(":")
    kind, _sep, field = rest.partition(":")
    return _("%(problem)s: %(what)s (%(field)s)", problem=CATEGORIES.get(category, category),
             what=KINDS.get(kind, kind), field=FIELDS.get(field, field))


def _runs(days: list[str]) -> list[tuple[int, int]]:
    indexes = sorted(WEEK.index(d) for d in days if d in WEEK)
    runs: list[list[int]] = []
    for index in indexes:
        if runs and index == runs[-1][1] + 1:
            runs[-1][1] = index
        else:
            runs.append([index, index])
    return [(a, b) for a, b in runs]


def hours_text(hours: dict | None) -> str:
    """Hours as 'Mon–Fri 09:00–18:00, lunch 13:00–14:00' in the page's language."""
    if not hours:
        return _("not stated in the source")
    names = get_day_names("abbreviated", locale=str(get_locale() or "kk"))
    days = ", ".join(names[a] if a == b else f"{names[a]}–{names[b]}" for a, b in _runs(hours["weekdays"]))
    text = f"{days} {hours['opens']}–{hours['closes']}"
    if hours.get("lunch_start"):
        text += ", " + _("lunch %(start)s–%(end)s", start=hours["lunch_start"], end=hours["lunch_end"])
    return text


def value_text(value) -> str:
    """A stored field value (text, list, phones, hours) as a reader sees it in the history."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, dict) and "opens" in value:
        return hours_text(value)
    if isinstance(value, list):
        return ", ".join(value_text(item) for item in value)
    if isinstance(value, dict):
        return str(value.get("e164") or value.get("source") or value)
    return str(value)
