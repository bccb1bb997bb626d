"""A ticket taken at the kiosk reaches a real (fake) network printer, and every printer failure is shown and retried."""
from __future__ import annotations

import time

import pytest
import zxingcpp

from escpos_reader import read_escpos
from fake_printer import STATUS_COVER_OPEN, STATUS_PAPER_OUT, refused_url
from kezek.extensions import db as kezek_db
from printing_helpers import jobs_of, print_state, set_printer, ticket_code, wait_for
from tests.conftest import kind_by_prefix


def tickets_on_paper(fake) -> int:
    """How many whole tickets a fake printer has received (one cut each; a ticket cut off has none)."""
    try:
        return read_escpos(bytes(fake.received)).cuts
    except ValueError:  # the printer dropped the line mid-ticket
        return 0


def qr_texts(image) -> list[str]:
    """The payloads of the QR codes zxing-cpp finds in `image`."""
    return [r.text for r in zxingcpp.read_barcodes(image.convert("L")) if r.format == zxingcpp.BarcodeFormat.QRCode]


def sent(client, code):
    """The job was sent."""
    return print_state(client, code)["state"] == "sent"


def test_a_ticket_taken_at_the_kiosk_prints_whole_with_its_qr_code(app, client, kiosk, fake_printers):
    fake = fake_printers("ok")
    set_printer(app, fake.url)
    code = ticket_code(kiosk.take("A"))
    wait_for(lambda: sent(client, code))
    printout = read_escpos(bytes(fake.received))
    assert printout.cuts == 1 and printout.image.width == 576
    assert qr_texts(printout.image) == [f"http://localhost/t/{code}"]
    assert jobs_of(app, code) == [("sent", "", 1)]


def failed_with(client, code, reason):
    """The ticket screen's poll says failed with `reason`."""
    state = print_state(client, code)
    return state if state == {"state": "failed", "error": reason} else None


@pytest.mark.parametrize("behaviour, options, reason, words", [
    # the kiosk answers long before the printer's timeout, read when the app's print worker starts
    pytest.param("silent", {}, "timeout", "The printer is not answering.", marks=pytest.mark.settings(PRINTER_TIMEOUT=8.0)),
    ("close_mid", {"close_after": 4000}, "disconnected", "The printer stopped in the middle of your ticket."),
    (STATUS_PAPER_OUT, {}, "paper_out", "The printer is out of paper."),
    (STATUS_COVER_OPEN, {}, "cover_open", "The printer cover is open."),
])
def test_a_failing_printer_shows_the_ticket_with_the_reason_and_prints_it_once_back(
    app, client, kiosk, fake_printers, behaviour, options, reason, words,
):
    fake = fake_printers(behaviour, **options)
    set_printer(app, fake.url)
    with app.app_context():
        kind_id = kind_by_prefix(kezek_db.session, "A").id
    form = {"visit_kind": kind_id, "lang": "en", "kiosk": "", "csrf_token": kiosk.token()}
    answer = client.post("/kiosk/taraz/tickets", data=form)
    code = ticket_code(answer)
    if behaviour == "silent":
        # the printer is off the request path: the kiosk has answered while the job still waits on it
        assert print_state(client, code) == {"state": "queued", "error": ""}
    wait_for(lambda: failed_with(client, code, reason), seconds=30)
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert 'data-state="failed"' in page and 'id="ticket-number">A-001<' in page and "<svg" in page
    assert f'data-reason="{reason}">{words}</span>' in page
    assert "Your number is kept" in page and "ask a clerk" in page
    assert tickets_on_paper(fake) == 0

    # the printer is fixed; the journal still holds the job and the retry prints it exactly once
    fake.received.clear()
    fake.behaviour = "ok"
    wait_for(lambda: sent(client, code))
    time.sleep(0.8)  # a second copy would arrive within a few retry periods
    assert tickets_on_paper(fake) == 1
    state, error, attempts = jobs_of(app, code)[-1]
    assert (state, error) == ("sent", "") and attempts >= 2


def test_a_refused_printer_that_comes_back_later_gets_the_ticket_once(app, client, kiosk, fake_printers):
    url = refused_url()
    set_printer(app, url)
    answer = kiosk.take("A", lang="ru")
    code = ticket_code(answer)
    wait_for(lambda: failed_with(client, code, "refused"))
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert 'data-reason="refused">Принтер недоступен.</span>' in page
    fake = fake_printers("ok", port=int(url.rsplit(":", 1)[1]))
    wait_for(lambda: sent(client, code))
    time.sleep(0.8)
    assert tickets_on_paper(fake) == 1
    assert qr_texts(read_escpos(bytes(fake.received)).image) == [f"http://localhost/t/{code}"]


def test_tickets_taken_while_the_printer_is_down_all_fail_at_once_and_print_in_order(
    app, client, kiosk, fake_printers,
):
    fake = fake_printers(STATUS_PAPER_OUT)
    set_printer(app, fake.url)
    codes = [ticket_code(kiosk.take("A")) for _ in range(3)]
    for code in codes:
        wait_for(lambda: failed_with(client, code, "paper_out"))
    fake.behaviour = "ok"
    for code in codes:
        wait_for(lambda: sent(client, code))
    printouts = read_escpos(bytes(fake.received))
    assert printouts.cuts == 3
    assert qr_texts(printouts.image) == [f"http://localhost/t/{code}" for code in codes]
