"""Every page in Kazakh and in Russian, as each role sees it and with its forms sent wrongly once, has no
English word outside a short list of names and codes; the same for the reports' exports.

Pages are found from the app's URL map (arguments filled from the database) and the links on the pages
visited, so pages added later are read too.
"""
from __future__ import annotations

import io
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from sqlalchemy import inspect, select, text
from werkzeug.routing import AnyConverter

from directory.loading import load_packaged
from kezek.extensions import db
from kezek.models import Base, Cabinet, Office
from kezek.queue import cancelling, clerk
from kezek.seeding import create_user
from tests.conftest import office_by_slug
from tests.i18n.words import ALLOWED, english_words, links, page_words, post_forms, wrong_values


ROLES = (None, "clerk", "manager", "regional_manager", "admin")
# Endpoints that are not pages: machine answers, files and the way out.
NOT_PAGES = {"static", "auth.logout", "home.favicon"}
MAX_PAGES = 400
SAME_ENDPOINT = 3  # pages visited per endpoint and set of query keys: another id shows the same words


def data_words(session) -> set[str]:
    """Codes and names kept as data in Latin letters: slugs, codes, user names, printer URLs, e-mail and web
    addresses of the directory; they are not words of the interface."""
    found: set[str] = set()
    for table, columns in (("office", ("slug",)), ("service", ("code",)), ("user", ("username",)),
                           ("kiosk", ("slug", "printer_url", "printer_profile")),
                           ("directory_entry", ("emails", "web_sites"))):
        for row in session.execute(text(f'SELECT {", ".join(columns)} FROM "{table}"')):
            for value in row:
                found.update(re.findall(r"[A-Za-z]+", str(value or "")))
    return found


def sample_rows(session, office_id: int | None) -> dict[str, list[dict]]:
    """One or two rows of every table (of the user's office where a table has one), to fill URL arguments."""
    rows: dict[str, list[dict]] = {}
    for table in Base.metadata.sorted_tables:
        query = table.select()
        if office_id is not None and "office_id" in table.c:
            query = query.where(table.c.office_id == office_id)
        elif "slug" in table.c and table.name == "office" and office_id is not None:
            query = query.where(table.c.id == office_id)
        rows[table.name] = [dict(row._mapping) for row in session.execute(query.limit(2))]
    return rows


def _column_for(name: str, rows: dict[str, list[dict]]) -> tuple[str, str] | None:
    """Which table and column an URL argument names: office_slug -> office.slug, kind_id -> visit_kind.id,
    code -> a column `code` (tables of an office first)."""
    if name.endswith("_id"):
        base = name[:-3]
        for table in rows:
            if table == base or table.endswith("_" + base):
                return table, "id"
    for table in rows:
        if name.startswith(table + "_") and name[len(table) + 1:] in (rows[table][0] if rows[table] else {}):
            return table, name[len(table) + 1:]
    owners = [table for table, found in rows.items() if found and name in found[0]]
    owners.sort(key=lambda table: "office_id" not in rows[table][0])
    return (owners[0], name) if owners else None


def urls_of_rules(app, rows) -> tuple[list[str], list[str]]:
    """A URL for every GET rule whose arguments can be filled from `rows`, and the rules that cannot be."""
    urls, unfilled = [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        values, table_rows = {}, {}
        for name in sorted(rule.arguments - set(rule.defaults or {})):
            converter = rule._converters.get(name)
            found = _column_for(name, rows)
            if found and rows[found[0]]:
                row = table_rows.setdefault(found[0], rows[found[0]][0])
                if isinstance(converter, AnyConverter) and row[found[1]] not in converter.items:
                    found = None
                else:
                    values[name] = row[found[1]]
            if not found and isinstance(converter, AnyConverter):
                values[name] = sorted(converter.items)[0]
            elif not found:
                unfilled.append(rule.rule)
                break
        else:
            with app.test_request_context():
                from flask import url_for

                urls.append(url_for(rule.endpoint, **values))
    return urls, unfilled


def with_lang(url: str, lang: str) -> str:
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != "lang"] + [("lang", lang)]
    return f"{parts.path}?{urlencode(query)}"


def crawl_key(app, url: str) -> tuple:
    parts = urlsplit(url)
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(parts.path, method="GET")
    except Exception:
        endpoint = parts.path
    return endpoint, tuple(sorted({key for key, _ in parse_qsl(parts.query)} - {"lang"}))


def read(answer, lang: str, allowed: set[str]) -> list[str]:
    """English words in an answer: an HTML page, a CSV or an XLSX file (JSON and files for machines are skipped)."""
    kind = answer.mimetype or ""
    if kind == "text/html":
        return page_words(answer.get_data(as_text=True), lang, allowed)
    if kind == "text/csv":
        import csv

        body = answer.get_data().decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(body), delimiter=";" if body.split("\n")[0].count(";") else ","))
        if table and all(re.fullmatch(r"[a-z][a-z0-9_]*", cell) for cell in table[0]):
            return []  # a data export for programs: its columns are codes, its values the data in every language
        return english_words("\n".join(" ".join(row) for row in table), allowed)
    if kind.endswith("spreadsheetml.sheet"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(answer.get_data()))
        cells = [str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                 for cell in row if isinstance(cell, str)]
        return english_words("\n".join(cells + [sheet.title for sheet in book.worksheets]), allowed)
    return []


@pytest.fixture
def busy_day(app, kiosk, clock):
    """A few tickets taken, called, served and cancelled in Taraz, so the console, log and reports have rows."""
    for prefix in "AABCD":
        kiosk.take(prefix, lang="ru")
    with app.app_context():
        load_packaged(db.session, clock())
        office = office_by_slug(db.session, "taraz")
        cabinet = db.session.scalar(select(Cabinet).where(Cabinet.office_id == office.id).order_by(Cabinet.number))
        user = create_user(db.session, "desk", "pass-1234", "clerk", office)
        clerk.set_cabinet_state(db.session, cabinet, user, "open")
        first = clerk.call_next(db.session, cabinet, user, clock()).ticket
        clerk.finish(db.session, cabinet, user, first.id, clock(), note="Справка выдана")
        second = clerk.call_next(db.session, cabinet, user, clock()).ticket
        cancelling.cancel(db.session, cabinet, user, second.id, clock(), reason="left")
        clerk.call_next(db.session, cabinet, user, clock())
        db.session.commit()


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("role", ROLES)
def test_no_english_word_on_any_page_a_role_sees(app, client, auth, busy_day, role, lang):
    if role:
        auth.create(f"crawler-{role}", role, None if role in ("regional_manager", "admin") else "taraz")
        auth.login(f"crawler-{role}")
    with app.app_context():
        allowed = data_words(db.session)
        office_id = None if role in (None, "regional_manager", "admin") else office_by_slug(db.session, "taraz").id
        rows = sample_rows(db.session, office_id or office_by_slug(db.session, "taraz").id)
    queue, unfilled = urls_of_rules(app, rows)
    seen: dict[tuple, int] = {}
    visited: set[str] = set()
    problems: dict[str, list[str]] = {}
    while queue and len(visited) < MAX_PAGES:
        url = with_lang(queue.pop(0), lang)
        key = crawl_key(app, url)
        if url in visited or seen.get(key, 0) >= SAME_ENDPOINT or key[0] in NOT_PAGES:
            continue
        visited.add(url)
        seen[key] = seen.get(key, 0) + 1
        answer = client.get(url, follow_redirects=True)
        words = read(answer, lang, allowed)
        if words:
            problems[url] = sorted(set(words))
        if answer.mimetype != "text/html":
            continue
        page = answer.get_data(as_text=True)
        queue.extend(link for link in links(page) if urlsplit(link).path != "/logout")
        for form in post_forms(page):
            action = form["action"] or urlsplit(url).path
            if any(part in action for part in ("/logout", "/delete", "/password")):
                continue
            sent = client.post(with_lang(action, lang), data=wrong_values(form), follow_redirects=True)
            words = read(sent, lang, allowed)
            if words:
                problems[f"POST {action} from {url}"] = sorted(set(words))
    assert not problems, "English words on Kazakh or Russian pages:\n" + "\n".join(
        f"{where}: {', '.join(words)}" for where, words in sorted(problems.items()))
    assert len(visited) > (5 if role is None else 10)


def test_every_page_of_the_url_map_can_be_reached_by_the_crawler(app, busy_day):
    with app.app_context():
        rows = sample_rows(db.session, None)
    _urls, unfilled = urls_of_rules(app, rows)
    assert unfilled == [], ("the crawler cannot fill these URL arguments from the database; name them after a "
                            "table and column (e.g. cabinet_id, office_slug) or teach tests/i18n/test_no_english.py")


def test_the_word_finder_flags_english_and_spares_names_codes_and_other_languages():
    assert english_words("Please log in to access this page.") == ["Please", "log", "in", "to", "access", "this", "page"]
    assert english_words("Kezek · B-007 · TM-T20II · taraz@enbek.kz · https://www.sarysu.kz/x · Asia/Almaty") == []
    assert english_words("Талон A-001, кабинет 101") == []
    assert page_words('<p>Кабинет</p><a lang="en" href="?lang=en">English</a><kbd>N</kbd><code>dummy://</code>'
                      '<input type="submit" value="Save">', "ru") == ["Save"]
    assert page_words('<button data-text="No connection">x</button>', "kk") == ["No", "connection"]
