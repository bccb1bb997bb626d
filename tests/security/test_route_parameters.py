"""Every route's path and query parameters, hostile or random, as every role: never a 500, never a stack trace.

Ids beyond 64 bits, dates from 0001-01-01 to 9999-12-31, cursors and arbitrary text go into each URL
variable of the URL map and into every query parameter a page reads; the answer may refuse (400, 403,
404, a redirect), never fail.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict

from tests.security.test_route_walk import sample_values

# role name: (role, office) of the account, or None for a visitor who is not signed in.
ROLES = {
    "anonymous": None, "clerk": ("clerk", "taraz"), "clerk_elsewhere": ("clerk", "merki"),
    "manager": ("manager", "taraz"), "regional_manager": ("regional_manager", None),
    "office_admin": ("admin", "taraz"), "admin": ("admin", None),
}
# Query parameters the pages read (the filters of reports, log, audit, staff, console, directory, kiosk).
QUERY_NAMES = ("office", "service", "visit_kind", "clerk", "outcome", "start", "end", "after", "year", "page",
               "user", "q", "district", "kiosk", "lang", "next", "code", "cabinet", "id")
HUGE = ("99999999999999999999999", str(2**63), str(2**64), "1" + "0" * 40)
HOSTILE_IDS = (*HUGE, str(2**63 - 1), str(2**31), "0", "-1", "00000000000000000000001", "1e9", "0x10", "١٢", "１２")
HOSTILE_DATES = ("0001-01-01", "9999-12-31", "0000-00-00", "2026-02-30", "10000-01-01", "1899-12-31",
                 "2200-01-01", "2026-11-25T10:00", "-2026-01-01")
HOSTILE_TEXT = ("", " ", "\x00", "A" * 3000, "'\"<script>alert(1)</script>", "../../etc/passwd", "\u202e",
                "99999999999999999999.999999999999", "1.99999999999999999999", "-1.-1", "/%0A/x", "//evil.example",
                "Ә" * 500, "%", "%%", "{{7*7}}")
# /readyz answers 503 in tests: the test schema is built from the models, not migrated.
NOT_READY_IS_FINE = ("/readyz",)


def routes(app) -> list:
    """Every route but static files and signing out (which would end the role being tested)."""
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint not in ("static", "auth.logout")]


def fill(rule, values: dict, chosen: dict | None = None) -> str:
    """The rule's path with each variable set (URL-quoted): `chosen` first, then the sample values."""
    url = rule.rule
    for name in rule.arguments:
        value = (chosen or {}).get(name, values.get(name, "1"))
        url = re.sub(rf"<(?:[^>:]+(?:\([^)]*\))?:)?{name}>", lambda _m, v=value: quote(v, safe=""), url)
    return url


def method_of(rule) -> str:
    return "GET" if "GET" in rule.methods else "POST"


def failure(client, method: str, url: str, token: str) -> str | None:
    """What went wrong answering `method url` (None when nothing did)."""
    try:
        answer = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
    except Exception as error:  # TESTING propagates what would be a 500 in production
        return f"{method} {url[:200]}: raised {type(error).__name__}: {str(error)[:200]}"
    if answer.status_code >= 500 and not (answer.status_code == 503 and url.startswith(NOT_READY_IS_FINE)):
        return f"{method} {url[:200]}: {answer.status_code}"
    if answer.mimetype.startswith(("text/", "application/json")) and b"Traceback" in answer.get_data():
        return f"{method} {url[:200]}: stack trace shown"
    return None


def become(app, client, kiosk, auth, role: str) -> tuple[dict, str]:
    """Sample values of real rows, and the CSRF token of `role`'s session (signed in unless anonymous)."""
    values = sample_values(app, kiosk)
    if ROLES[role]:
        kind, office = ROLES[role]
        auth.create(role, kind, office)
        assert auth.login(role).status_code == 302
    return values, auth.token()


class ReadArguments(ImmutableMultiDict):
    """Query arguments that note which names the application reads (to try hostile values on exactly those)."""

    names: set[str] = set()

    def __getitem__(self, key):
        ReadArguments.names.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):  # noqa: A002 (werkzeug's name)
        ReadArguments.names.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        ReadArguments.names.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        ReadArguments.names.add(key)
        return super().__contains__(key)


def names_read(app, client, url: str) -> set[str]:
    """The query parameter names answering GET `url` reads."""
    ReadArguments.names = set()
    original = app.request_class
    app.request_class = type("Recording", (original,), {"parameter_storage_class": ReadArguments})
    try:
        client.get(url)
    finally:
        app.request_class = original
    return set(ReadArguments.names)


PATH_VALUES = (HUGE[0], str(2**63), str(2**31), "0", "\x00", "A" * 300)
QUERY_VALUES = (HUGE[0], str(2**63), str(2**31), "0001-01-01", "9999-12-31", "99999999999999999999.999999999999", "\x00")


@pytest.mark.parametrize("role", list(ROLES))
def test_hostile_path_and_query_values_on_every_route(app, client, kiosk, auth, role):
    values, token = become(app, client, kiosk, auth, role)
    failures = []
    for rule in routes(app):
        method = method_of(rule)
        for name in rule.arguments:
            for value in PATH_VALUES:
                failures.append(failure(client, method, fill(rule, values, {name: value}), token))
        if method != "GET":
            continue
        base = fill(rule, values)
        read = names_read(app, client, base)
        if rule.rule != "/":
            read.discard("lang")  # every page reads it (the language); tried once, on the start page
        for name in sorted(read | {"office"}):
            for value in QUERY_VALUES:
                failures.append(failure(client, "GET", f"{base}?{urlencode({name: value})}", token))
    failures = [f for f in failures if f]
    assert failures == [], "\n".join(failures[:40])


REPORTS = ("/reports/", "/reports/log", "/reports/log.csv", "/reports/log.xlsx", "/reports/annex2",
           "/reports/annex2.xlsx", "/reports/decisions")
DATE_RANGES = ({"start": "0001-01-01", "end": "0001-01-10"}, {"start": "9999-12-01", "end": "9999-12-31"},
               {"start": "9999-12-31"}, {"end": "0001-01-01"}, {"start": "1899-12-25", "end": "1900-01-05"},
               {"start": "2199-12-25", "end": "2200-01-05"})


@pytest.mark.parametrize("role", ["manager", "regional_manager", "admin"])
def test_report_filters_and_exports_refuse_dates_they_cannot_compute_with(app, client, kiosk, auth, role):
    _values, token = become(app, client, kiosk, auth, role)
    failures = [failure(client, "GET", f"{path}?{urlencode(query)}", token) for path in REPORTS for query in DATE_RANGES]
    failures = [f for f in failures if f]
    assert failures == [], "\n".join(failures)


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
numbers = st.integers(min_value=-(10**30), max_value=10**30).map(str)
query_values = st.one_of(
    numbers, texts, st.dates().map(lambda day: day.isoformat()), st.sampled_from(HOSTILE_TEXT + HOSTILE_DATES),
    st.tuples(st.integers(0, 10**25), st.integers(0, 10**25)).map(lambda pair: f"{pair[0]}.{pair[1]}"),
)
queries = st.dictionaries(st.one_of(st.sampled_from(QUERY_NAMES), texts), query_values, max_size=4)
path_values = st.one_of(numbers, texts.filter(bool), st.sampled_from(HOSTILE_IDS))


@pytest.mark.parametrize("role", list(ROLES))
def test_random_path_and_query_parameters_never_break_a_route(app, client, kiosk, auth, role):
    values, token = become(app, client, kiosk, auth, role)
    rules = routes(app)

    # No shrinking: a failure is reported with the URL that caused it.
    @settings(max_examples=60, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.data())
    def check(data):
        rule = data.draw(st.sampled_from(rules))
        chosen = {name: data.draw(st.one_of(path_values, st.just(values.get(name, "1")))) for name in rule.arguments}
        query = data.draw(queries)
        url = fill(rule, values, chosen) + ("?" + urlencode(query) if query else "")
        problem = failure(client, method_of(rule), url, token)
        assert problem is None, problem

    check()
