"""The test's app served in this process, in a thread, and browser pages that may load only from it.

For browser tests that move the app's clock or read its database as they go (the `serve_in_thread`
fixture of tests/conftest.py); a real `kezek serve` in its own process is tests.conftest.LiveServer.
"""
from __future__ import annotations

import threading


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


def local_page(browser, base: str, foreign: list[str], **options):
    """A page that may load only from `base`; whatever else it asks for is refused and noted in `foreign`."""
    page = browser.new_page(**options)

    def only_this_host(route):
        if route.request.url.startswith(base) or route.request.url.startswith("data:"):
            return route.continue_()
        foreign.append(route.request.url)
        return route.abort()

    page.route("**/*", only_this_host)
    return page
