"""A kiosk test server in this process (its clock is the test's `clock`), and pages that allow only it."""
from __future__ import annotations

import threading
from pathlib import Path

from directory.importer import parse_seed
from directory.loading import load_directory
from kezek.extensions import db

SEED = Path(__file__).resolve().parents[1] / "directory" / "data" / "000_cec8ad15de2c58c1.txt"


class ThreadServer:
    """The app served by Werkzeug (Socket.IO included) on 127.0.0.1 at an ephemeral port, in a thread."""

    def __init__(self, app):
        from werkzeug.serving import make_server

        self.http = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.http.server_port}"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.http.shutdown()
        self.thread.join(5)


def load_seed_directory(app) -> None:
    """The seed's directory, for the kiosk's directory pages."""
    with app.app_context():
        load_directory(db.session, parse_seed(SEED.read_text(encoding="utf-8")), app.config["CLOCK"]())
        db.session.commit()


def kiosk_page(browser, base: str, foreign: list[str], **options):
    """A page that may load only from `base`; whatever else it asks for is refused and noted.

    Opened with bypass_csp because Playwright's wait_for_function evaluates strings in the page.
    """
    page = browser.new_page(bypass_csp=True, **options)

    def only_this_host(route):
        if route.request.url.startswith(base) or route.request.url.startswith("data:"):
            return route.continue_()
        foreign.append(route.request.url)
        return route.abort()

    page.route("**/*", only_this_host)
    return page
