"""The released package works away from the checkout: built as sdist and wheel, installed into a fresh
virtual environment, it migrates, seeds and serves every kind of page, file and printed ticket."""
from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import requests

from kezek.seeding import DEMO_SLUG, zone_at_hour

pytestmark = [pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KIND = re.compile(r'name="visit_kind" value="(\d+)"')


def _run(command: list[str], **options) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, **options)
    assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A virtual environment outside the checkout with Kezek installed from its wheel (built from the
    sdist, as `python -m build` does), the dependencies at the versions of constraints.txt.

    The environment gets no pip of its own and nothing is compiled to bytecode at install time: this
    process's pip installs into it (`pip --python`), which cut the fixture from about 50 s to 29 s on
    the shared machine (docs/benchmarks.md); every dependency is still installed from the wheel's own
    requirements."""
    folder = tmp_path_factory.mktemp("release")
    _run([sys.executable, "-m", "build", "--outdir", str(folder / "dist"), str(ROOT)])
    wheel = next((folder / "dist").glob("kezek-*.whl"))
    environment = folder / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(environment)])
    python = environment / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-compile",
          "-c", str(ROOT / "constraints.txt"), str(wheel)], cwd=folder)
    return folder, environment, wheel


def test_the_wheel_carries_every_file_the_app_reads_and_claims_no_generic_top_level_name(installed):
    _, _, wheel = installed
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.startswith("kezek-")}
    assert tops == {"kezek", "kiosk", "display", "directory", "printer"}
    for expected in ("kezek/static/vendor/socket.io.min.js", "kezek/static/fonts/DejaVuSans.ttf",
                     "kezek/static/sounds/kk/talon.ogg", "kezek/translations/kk/LC_MESSAGES/messages.mo",
                     "kezek/translations/ru/LC_MESSAGES/messages.mo", "kezek/migrations/script.py.mako",
                     "kezek/migrations/env.py", "kezek/migrations/versions/0001_initial_schema.py",
                     "kiosk/templates/kiosk/start.html", "display/templates/display/board.html",
                     "kezek/admin/templates/admin/layout.html", "kezek/templates/base.html",
                     "directory/data/resolution-120-2008.txt"):
        assert expected in names


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_installed_kezek_migrates_seeds_serves_pages_files_translations_and_prints(installed):
    folder, environment, _ = installed
    bin_folder = environment / "bin"
    instance = folder / "instance"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("KEZEK_", "PYTHON"))}
    env["KEZEK_INSTANCE_PATH"] = str(instance)
    where = _run([str(bin_folder / "python"), "-c", "import kezek, printer.fonts; print(kezek.__file__, printer.fonts.REGULAR)"],
                 cwd=folder, env=env).stdout
    assert str(ROOT) not in where and str(environment) in where, where

    _run([str(bin_folder / "kezek"), "init-db"], cwd=folder, env=env)
    _run([str(bin_folder / "kezek"), "load-seed"], cwd=folder, env=env)
    _run([str(bin_folder / "kezek"), "setup-demo"], cwd=folder, env=env)  # the demo office takes tickets all day
    with sqlite3.connect(instance / "kezek.sqlite3") as database:
        database.execute("UPDATE office SET timezone = ? WHERE slug = ?", (zone_at_hour(10), DEMO_SLUG))
        # Taraz's kiosk opens in any browser here; enrolled devices are tested in tests/devices.
        database.execute("UPDATE office SET open_web_kiosk = 1 WHERE slug = 'taraz'")
    port = _free_port()
    log = open(folder / "server.log", "w")
    server = subprocess.Popen([str(bin_folder / "kezek"), "serve", "--port", str(port)], cwd=folder, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, (folder / "server.log").read_text()
            try:
                kiosk = requests.get(f"{base}/kiosk/taraz?lang=kk", timeout=10)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "the installed server did not answer"
                time.sleep(0.5)
        assert kiosk.status_code == 200
        board = requests.get(f"{base}/display/taraz", timeout=10)
        assert board.status_code == 200 and "socket.io.min.js" in board.text
        script = requests.get(f"{base}/static/vendor/socket.io.min.js", timeout=10)
        assert script.status_code == 200 and len(script.content) > 10_000
        font = requests.get(f"{base}/static/fonts/DejaVuSans.ttf", timeout=10)
        assert font.status_code == 200 and font.content[:4] == b"\x00\x01\x00\x00"
        russian = requests.get(f"{base}/kiosk/taraz?lang=ru", timeout=10).text
        english = requests.get(f"{base}/kiosk/taraz?lang=en", timeout=10).text
        assert "What have you come for?" in english
        assert "What have you come for?" not in russian and re.search("[а-яА-Я]{4,}", russian)

        visitor = requests.Session()
        service = visitor.get(f"{base}/kiosk/{DEMO_SLUG}/service/social_assistance?lang=ru", timeout=10).text
        taken = visitor.post(f"{base}/kiosk/{DEMO_SLUG}/tickets", timeout=30, allow_redirects=False, data={
            "csrf_token": CSRF.search(service).group(1), "visit_kind": KIND.search(service).group(1),
            "lang": "ru", "kiosk": ""})
        assert taken.status_code == 303, taken.text[:500]
        prints = instance / "prints"
        deadline = time.monotonic() + 60
        while not (prints.exists() and any(prints.iterdir())):
            assert time.monotonic() < deadline, "no ticket reached the printer"
            time.sleep(0.5)
        ticket = next(prints.iterdir()).read_bytes()
        assert ticket.startswith(b"\x1b@") or len(ticket) > 1000  # ESC/POS: initialise, then the drawn ticket
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert "development server" not in (folder / "server.log").read_text()
