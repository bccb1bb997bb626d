"""The Kazakh and Russian catalogues: complete, in step with the code, compiled, with each language's plural rules."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from tests.i18n.test_no_english import busy_day  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "kezek" / "translations"
LANGS = ("kk", "ru")


def catalogue(lang: str):
    with open(CATALOGS / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages the code and templates use, extracted the way scripts/i18n.py does."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    sources = [name for name in ("kezek", "kiosk", "display", "directory", "printer") if (ROOT / name).is_dir()]
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
                    "--no-location", "--sort-output", "-o", str(pot), *sources],
                   check=True, cwd=ROOT, capture_output=True)
    with open(pot, "rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    missing = [message.id for message in catalogue(lang) if message.id and (
        message.fuzzy or not message.string
        or (isinstance(message.string, tuple) and not all(message.string)))]
    assert missing == [], f"untranslated or fuzzy in {lang}: {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_catalogue_is_in_step_with_the_code(lang, extracted):
    known = {message.id for message in catalogue(lang) if message.id}
    assert sorted(map(str, extracted - known)) == [], f"run scripts/i18n.py and translate the new {lang} entries"
    assert sorted(map(str, known - extracted)) == [], f"{lang} keeps entries the code no longer uses: run scripts/i18n.py"


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_every_placeholder(lang):
    problems, messages = [], catalogue(lang)
    for message in messages:
        if message.id:
            problems += [f"{message.id!r}: {error}" for error in message.check(messages)]
    assert problems == []


def _key(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


@pytest.mark.parametrize("lang", LANGS)
def test_the_compiled_catalogue_is_the_current_one(lang):
    with open(CATALOGS / lang / "LC_MESSAGES" / "messages.mo", "rb") as mo:
        compiled = {_key(message.id): _key(message.string) for message in read_mo(mo) if message.id}
    source = {_key(message.id): _key(message.string) for message in catalogue(lang) if message.id and not message.fuzzy}
    assert compiled == source, "run scripts/i18n.py (it compiles the .mo files)"


@pytest.mark.parametrize("lang, counts", [
    ("ru", {1: "1 посетитель ждёт", 2: "2 посетителя ждут", 5: "5 посетителей ждут", 21: "21 посетитель ждёт",
            11: "11 посетителей ждут", 22: "22 посетителя ждут"}),
    ("kk", {1: "1 келуші күтуде", 2: "2 келуші күтуде", 5: "5 келуші күтуде", 21: "21 келуші күтуде"}),
])
def test_counts_take_each_languages_plural_form(lang, counts):
    translations = Translations.load(str(CATALOGS), [lang])
    for n, expected in counts.items():
        assert translations.ungettext("%(num)d visitor waiting", "%(num)d visitors waiting", n) % {"num": n} == expected


def test_plural_rules_are_russian_and_kazakh_ones():
    assert catalogue("ru").num_plurals == 3 and catalogue("kk").num_plurals == 2
    russian = catalogue("ru").plural_expr
    assert "n%10==1&&n%100!=11" in russian.replace(" ", "")


def test_plural_forms_show_on_a_page_in_russian(app, client, auth, kiosk):
    auth.create("plural", "manager", "taraz")
    auth.login("plural")
    from kezek.extensions import db
    from kezek.models import AuditEntry
    from tests.conftest import office_by_slug

    with app.app_context():
        taraz = office_by_slug(db.session, "taraz")
        for n in range(20):
            db.session.add(AuditEntry(at=app.config["CLOCK"](), username="x", action="login", office_id=taraz.id,
                                      detail={}))
        db.session.commit()
    auth.create("plural-admin", "admin", "taraz")
    auth.login("plural-admin")
    page = client.get("/admin/audit?lang=ru").get_data(as_text=True)
    n, word = re.search(r"(\d+) (запись|записи|записей)\b", page).groups()
    n = int(n)
    assert n > 20
    assert word == ("запись" if n % 10 == 1 and n % 100 != 11 else
                    "записи" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else "записей")


@pytest.mark.parametrize("lang, expected", [
    ("ru", {1: "Будет готово за 1 день.", 2: "Будет готово за 2 дня.", 5: "Будет готово за 5 дней.",
            21: "Будет готово за 21 день."}),
    ("kk", {1: "1 күнде дайын болады.", 2: "2 күнде дайын болады.", 5: "5 күнде дайын болады.",
            21: "21 күнде дайын болады."}),
])
def test_days_take_each_languages_plural_form(lang, expected):
    translations = Translations.load(str(CATALOGS), [lang])
    for n, text in expected.items():
        assert translations.ungettext("Ready in %(num)d day.", "Ready in %(num)d days.", n) % {"num": n} == text


def _plural_messages(lang: str) -> list:
    return [message for message in catalogue(lang) if message.id and message.pluralizable]


def _values(message, n: int) -> dict:
    """Every named placeholder of the message's forms filled: the counts (`%(num)d`, WTForms' `%(max)d`) with
    `n`, the rest with a word."""
    values: dict = {}
    for text in (*message.id, *message.string):
        for name, kind in re.findall(r"%\((\w+)\)([ds])", text):
            values[name] = n if kind == "d" else "X"
    return values


# Russian: 1 and 21 take the first form, 2 the second, 5 the third; Kazakh: 1 the first, the rest the second.
FORM_OF = {"ru": {1: 0, 2: 1, 5: 2, 21: 0}, "kk": {1: 0, 2: 1, 5: 1, 21: 1}}


@pytest.mark.parametrize("lang", LANGS)
def test_every_plural_entry_reads_right_for_1_2_5_and_21(lang):
    translations = Translations.load(str(CATALOGS), [lang])
    messages = _plural_messages(lang)
    assert len(messages) >= 20
    problems = []
    for message in messages:
        counted = re.search(r"%\(\w+\)d", message.id[1]) is not None
        for n, form in FORM_OF[lang].items():
            shown = translations.ungettext(message.id[0], message.id[1], n)
            if shown != message.string[form]:
                problems.append(f"{message.id[0]!r}, {n}: form {form} expected, got {shown!r}")
                continue
            try:
                text = shown % _values(message, n)
            except (KeyError, TypeError, ValueError) as error:
                problems.append(f"{message.id[0]!r}, {n}: {error}")
                continue
            if counted and not re.search(rf"(?<!\d){n}(?!\d)", text):
                problems.append(f"{message.id[0]!r}, {n}: the number is missing from {text!r}")
    assert problems == []


def test_russian_forms_differ_where_the_noun_changes():
    """A Russian entry whose forms are all alike is only right for abbreviations ("мин") and phrases with no noun."""
    alike = sorted(message.id[0] for message in _plural_messages("ru") if len(set(message.string)) == 1)
    assert alike == ["%(num)d min"]


def test_the_compliance_summary_captions_agree_with_their_numbers(app, client, auth, busy_day):
    """The summary's big numbers and the words under them read as one phrase: "1 посетитель обслужен"."""
    auth.create("counts", "manager", "taraz")
    auth.login("counts")
    page = client.get("/reports/?lang=ru").get_data(as_text=True)
    figures = {name: (int(n), caption) for name, n, caption in
               re.findall(r'data-figure="(\w+)">(\d+)</span><span class="caption">([^<]*)<', page)}
    assert figures["served"] == (1, "посетитель обслужен")
    assert figures["no_show"] == (0, "посетителей не пришли")
    assert figures["turned_away"] == (0, "посетителей не получили талон в терминале (поздно, закрыто)")


@pytest.mark.parametrize("lang, limit, expected", [
    ("ru", "31", "Закон устанавливает для этого вида приёма не больше 30 минут ожидания; при пределе в 31 минуту "
                 "отчёты сочтут опоздавших обслуженными вовремя."),
    ("ru", "32", "не больше 30 минут ожидания; при пределе в 32 минуты отчёты"),
    ("ru", "45", "не больше 30 минут ожидания; при пределе в 45 минут отчёты"),
    ("kk", "41", "Заң бұл келу түрі үшін ең көбі 30 минут күтуді белгілейді; шек 41 минут болса,"),
    ("en", "31", "The law sets at most 30 minutes of waiting for this visit; with 31 minutes the reports"),
])
def test_a_warning_with_two_counts_takes_the_form_of_each_on_the_page(app, client, auth, lang, limit, expected):
    from tests.admin.admin_helpers import AdminPages
    from tests.conftest import kind_by_prefix

    from kezek.extensions import db

    auth.create("root", "admin", None)
    auth.login("root")
    with app.app_context():
        kind_id = kind_by_prefix(db.session, "A").id  # hand in for social assistance: 30 minutes by law
    page = AdminPages(client).submit(f"/admin/kinds/{kind_id}?lang={lang}", {"wait_limit_minutes": limit})
    assert page.status_code == 200 and expected in page.get_data(as_text=True)


# Words docs/glossary.md rules out, with the word to use instead.
NOT_GLOSSARY = {
    "ru": {"киоск": "терминал", "вид посещения": "вид приёма", "цель визита": "вид приёма",
           "в пределах срока": "без превышения предела", "номерок": "талон", "окошк": "кабинет",
           "переведён": "перенаправлен", "рахмет": "рақмет"},
    "kk": {"киоск": "терминал", "рахмет": "рақмет", "келу мақсаты": "келу түрі", "мерзімінде, талон": "шек ішінде",
           "консоль": "маман пульті"},
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_catalogue_keeps_the_glossary_words(lang):
    found = [f"{message.id!r}: {word!r} (use {instead!r})" for message in catalogue(lang) if message.id
             for text in ([message.string] if isinstance(message.string, str) else message.string)
             for word, instead in NOT_GLOSSARY[lang].items() if word in text.lower()]
    assert found == []


@pytest.mark.parametrize("lang, limit, expected", [
    ("ru", "6 per minute", "6 талонов в минуту"),
    ("ru", "21 per minute; 2 per hour", "21 талон в минуту; 2 талона в час"),
    ("kk", "6 per minute", "минутына 6 талон"),
    ("en", "1 per minute", "1 ticket a minute"),
    ("ru", "2 per 5 minutes", "2 per 5 minutes"),  # not worded: shown as configured
])
def test_the_open_kiosk_rate_is_said_in_words(app, lang, limit, expected):
    from kezek.admin.words import ticket_rate

    with app.test_request_context(f"/?lang={lang}"):
        assert ticket_rate(limit) == expected
