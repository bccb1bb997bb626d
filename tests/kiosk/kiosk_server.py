"""A kiosk test server in this process (its clock is the test's `clock`), and pages that allow only it."""
from __future__ import annotations

from pathlib import Path

from directory.importer import parse_seed
from directory.loading import load_directory
from kezek.extensions import db
from tests.thread_server import ThreadServer, local_page

__all__ = ["ThreadServer", "kiosk_page", "load_seed_directory", "open_web_kiosk"]

SEED = Path(__file__).resolve().parents[1] / "directory" / "data" / "000_cec8ad15de2c58c1.txt"


def load_seed_directory(app) -> None:
    """The seed's directory, for the kiosk's directory pages."""
    with app.app_context():
        load_directory(db.session, parse_seed(SEED.read_text(encoding="utf-8")), app.config["CLOCK"]())
        db.session.commit()


def kiosk_page(browser, base: str, foreign: list[str], **options):
    """A page that may load only from `base`; whatever else it asks for is refused and noted.

    Opened with bypass_csp because Playwright's wait_for_function evaluates strings in the page.
    """
    return local_page(browser, base, foreign, bypass_csp=True, **options)


def open_web_kiosk(app, office: str = "taraz") -> None:
    """Let any browser be the office's kiosk (an office may keep an open web kiosk), as these tests' pages are."""
    from sqlalchemy import update

    from kezek.models import Office

    with app.app_context():
        db.session.execute(update(Office).where(Office.slug == office).values(open_web_kiosk=True))
        db.session.commit()
