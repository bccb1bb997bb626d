"""The app's services are one object made with the app; nothing of Kezek's hides under another key of
app.extensions, and the threads start where serving starts, not when the app is made."""
from __future__ import annotations

import re
from pathlib import Path

from kezek.services import Services, services, start_serving

ROOT = Path(__file__).resolve().parents[2]
FLASK_EXTENSIONS = {"babel", "csrf", "limiter", "socketio"}  # the extensions' own keys, not Kezek's


def test_a_made_app_holds_its_services_in_one_object_and_runs_no_thread_until_served(app):
    found = services(app)
    assert isinstance(found, Services) and set(app.extensions) == FLASK_EXTENSIONS | {"kezek"}
    assert found.sessions.kw["bind"] is found.engine
    assert not found.print_worker.started and not found.publisher.started and not found.others_publisher.started
    start_serving(app)  # what `kezek serve` does once it listens
    start_serving(app)  # once, however often asked
    running = [found.print_worker.dispatcher, found.publisher.thread, found.others_publisher.thread]
    assert all(thread is not None and thread.is_alive() for thread in running)


def test_no_module_keeps_state_under_a_key_of_its_own_in_app_extensions():
    # any key but the services' own "kezek" (kezek.services.KEY)
    own_keys = re.compile(r"""extensions(\[|\.get\(|\.setdefault\(|\.pop\()\s*["'](?!kezek["'])""")
    found = []
    for package in ("kezek", "kiosk", "display", "directory", "printer"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts and own_keys.search(path.read_text(encoding="utf-8")):
                found.append(str(path.relative_to(ROOT)))
    assert found == []
