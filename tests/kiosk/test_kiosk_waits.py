"""The wait on the kiosk's screen, on the ticket screen and on the paper agree, over many queue states."""
from __future__ import annotations

import random
import re
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from kezek.models import Cabinet, Ticket
from kezek.printing import ticket_print
from kezek.queue import clerk
from kezek.seeding import create_user
from printer import build_ticket_bytes
from tests.conftest import office_by_slug

# the ESC/POS reader lives with the printer package's tests
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "printer"))
from escpos_reader import read_escpos  # noqa: E402

WAIT = re.compile(r"<dt>Примерное ожидание</dt><dd>([^<]*)</dd>")
AHEAD = re.compile(r"<dt>Перед вами</dt><dd>(\d+)</dd>")
SERVICES = {"A": "social_assistance", "B": "social_assistance", "C": "unemployed_certificate",
            "D": "unemployed_certificate"}


def screen(client, office: str, prefix: str) -> tuple[int, str]:
    """People ahead and the wait the service page shows for the visit kind `prefix`."""
    page = client.get(f"/kiosk/{office}/service/{SERVICES[prefix]}?lang=ru").get_data(as_text=True)
    cards = page.split('class="kind-card')[1:]
    card = next(card for card in cards if f'aria-hidden="true">{prefix}<' in card)
    return int(AHEAD.search(card).group(1)), WAIT.search(card).group(1)


def paper(app, code: str) -> str:
    """The wait printed on the ticket, read back from its ESC/POS bytes (text mode: one line per row)."""
    with app.app_context():
        from kezek.extensions import db

        ticket = db.session.scalar(select(Ticket).where(Ticket.code == code))
        data = build_ticket_bytes(ticket_print(ticket, "http://kezek.local/t/" + code), "POS-5890", mode="text")
    line = next(line for line in read_escpos(data).lines if line.startswith("Примерное ожидание"))
    return line.removeprefix("Примерное ожидание").strip()


def folded(text: str) -> str:
    return text.replace("–", "-")  # the text-mode printer has no en dash


@pytest.fixture(autouse=True)
def many_taps(app):
    app.config["KIOSK_TICKET_LIMIT"] = "10000 per minute"


def test_screen_ticket_and_paper_agree_over_a_busy_day(app, client, kiosk, clock, db):
    office = office_by_slug(db, "demo")
    cabinets = list(db.scalars(select(Cabinet).where(Cabinet.office_id == office.id).order_by(Cabinet.id)))
    user = create_user(db, "clerk-waits", "pw", "clerk", office)
    db.commit()
    rng = random.Random(19)
    seen_forms = set()
    for step in range(70):
        action = rng.random()
        if action < 0.6 or step < 3:
            prefix = rng.choice("AABCD")
            ahead, shown = screen(client, "demo", prefix)
            if ahead:
                assert shown != "без ожидания"
            answer = kiosk.take(prefix, office="demo", lang="ru")
            assert answer.status_code == 303
            code = answer.headers["Location"].split("/tickets/")[1].split("?")[0]
            ticket_page = client.get(answer.headers["Location"]).get_data(as_text=True)
            on_ticket = WAIT.search(ticket_page).group(1)
            assert on_ticket == shown  # the same moment, the same queue: the same words
            assert folded(paper(app, code)) == folded(on_ticket)
            seen_forms.add("none" if shown == "без ожидания" else "range" if "–" in shown else shown.split()[0])
        elif action < 0.85:
            cabinet = rng.choice(cabinets)
            db.expire_all()
            clerk.set_cabinet_state(db, cabinet, user, "open")
            current = clerk.current_ticket(db, cabinet)
            if current is not None:
                clerk.finish(db, cabinet, user, current.id, clock())
            clerk.call_next(db, cabinet, user, clock())
            db.commit()
        else:
            clock.moment += timedelta(minutes=rng.randint(1, 9))
    # the walk went through an empty queue and a long one
    assert "none" in seen_forms and ("range" in seen_forms or "до" in seen_forms)


@pytest.mark.parametrize(("moment", "reason"), [((2026, 11, 25, 13, 20), "lunch"), ((2026, 11, 28, 11, 0), "day off"),
                                                ((2026, 11, 25, 19, 0), "after closing")])
def test_a_closed_office_never_says_no_wait(client, kiosk, clock, moment, reason):
    clock.set_local(2026, 11, 25, 10, 0)
    kiosk.take("A", lang="ru")
    clock.set_local(*moment)
    for prefix in "ABCD":
        ahead, shown = screen(client, "taraz", prefix)
        assert shown == "после открытия", reason
    assert kiosk.take("B", lang="ru").status_code == 409


def test_someone_ahead_is_never_no_wait(client, kiosk):
    ahead, shown = screen(client, "taraz", "A")
    assert (ahead, shown) == (0, "без ожидания")
    kiosk.take("A", lang="ru")
    ahead, shown = screen(client, "taraz", "A")
    assert ahead == 1 and shown != "без ожидания"
