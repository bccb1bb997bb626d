"""A kiosk's printer address reaches printers only: no file, folder or device, no other port, no port scanner."""
from __future__ import annotations

import socket
import threading

import pytest
from sqlalchemy import select

from kezek.extensions import db as kezek_db
from kezek.models import Kiosk, Office
from kezek.services import services
from tests.admin.admin_helpers import AdminPages


def _kiosk_id(app, office: str = "taraz") -> int:
    with app.app_context():
        return kezek_db.session.scalar(
            select(Kiosk.id).join(Office, Kiosk.office_id == Office.id).where(Office.slug == office))


def _store_printer(app, url: str, office: str = "taraz") -> None:
    """Put a printer address in the database directly, as one saved before the rule (or by hand) would be."""
    with app.app_context():
        kiosk = kezek_db.session.get(Kiosk, _kiosk_id(app, office))
        kiosk.printer_url = url
        kezek_db.session.commit()


def _stored_printer(app, office: str = "taraz") -> str:
    with app.app_context():
        return kezek_db.session.get(Kiosk, _kiosk_id(app, office)).printer_url


@pytest.fixture
def office_admin(app, client, auth):
    auth.create("taraz-admin", "admin", "taraz")
    auth.login("taraz-admin")
    return AdminPages(client)


@pytest.fixture
def precious(tmp_path):
    """A file the server can write that nobody on the web may touch (think of the SQLite database)."""
    target = tmp_path / "precious.sqlite3"
    target.write_bytes(b"the whole installation")
    return target


@pytest.mark.parametrize("address", [
    "file://{precious}", "file:///{folder}/../precious.sqlite3", "dummy://{folder}/made-by-the-web",
    "serial://{precious}", "cups://Office?host=10.0.0.9", "tcp://127.0.0.1:22", "tcp://127.0.0.1:6379",
    "tcp://10.0.0.5:80",
])
def test_the_printer_field_refuses_files_folders_devices_and_other_ports(app, office_admin, precious, tmp_path,
                                                                        address):
    address = address.format(precious=precious, folder=tmp_path)
    kiosk_id = _kiosk_id(app)
    before = _stored_printer(app)
    answer = office_admin.submit(f"/admin/kiosks/{kiosk_id}?lang=en", {"printer_url": address}, action="")
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "server&#39;s configuration" in page or "server's configuration" in page
    assert _stored_printer(app) == before
    assert precious.read_bytes() == b"the whole installation"
    assert not (tmp_path / "made-by-the-web").exists()


@pytest.mark.parametrize("address", ["tcp://192.168.1.50:9100", "tcp://printer.office.local", "usb://04b8:0202",
                                     "cups://Kiosk_Printer", "agent://", ""])
def test_the_printer_field_takes_printers(app, office_admin, address):
    answer = office_admin.submit(f"/admin/kiosks/{_kiosk_id(app)}?lang=en", {"printer_url": address}, action="")
    assert answer.status_code == 303
    assert _stored_printer(app) == address


def test_printers_the_server_configuration_lists_are_accepted(app, office_admin, tmp_path):
    app.config.update(LOCAL_PRINTERS=(f"file://{tmp_path}/lp0", f"dummy://{tmp_path}/prints-hall"),
                      PRINTER_PORTS=(9101,))
    for address in (f"file://{tmp_path}/lp0", f"dummy://{tmp_path}/prints-hall", "tcp://10.0.0.7:9101"):
        answer = office_admin.submit(f"/admin/kiosks/{_kiosk_id(app)}?lang=en", {"printer_url": address}, action="")
        assert answer.status_code == 303, address
        assert _stored_printer(app) == address


def test_a_stored_file_address_is_never_opened_by_status_test_page_or_tickets(app, client, auth, kiosk, precious,
                                                                             tmp_path):
    _store_printer(app, f"file://{precious}")
    auth.create("taraz-head", "manager", "taraz")
    auth.create("taraz-admin", "admin", "taraz")
    auth.login("taraz-head")
    state = client.get("/kiosk/taraz/printer-state").get_json()
    assert [k["status"]["detail"] for k in state["kiosks"] if k["printer_url"].startswith("file:")] == ["not_allowed"]
    assert precious.read_bytes() == b"the whole installation"

    auth.login("taraz-admin")
    pages = AdminPages(client)
    kiosk_id = _kiosk_id(app)
    answer = pages.press(f"/admin/kiosks/{kiosk_id}", f"/admin/kiosks/{kiosk_id}/test-page")
    assert answer.status_code == 303
    assert "bad_url" in client.get(f"/admin/kiosks/{kiosk_id}?lang=en").get_data(as_text=True)
    assert precious.read_bytes() == b"the whole installation"

    assert kiosk.take("A", kiosk="main").status_code == 303
    worker = services(app).print_worker
    worker.shutdown()
    assert precious.read_bytes() == b"the whole installation"


def test_a_status_check_of_a_configured_file_printer_writes_nothing(app, client, auth, tmp_path):
    device = tmp_path / "lp0"
    device.write_bytes(b"earlier jobs")
    app.config["LOCAL_PRINTERS"] = (f"file://{device}",)
    _store_printer(app, f"file://{device}")
    auth.create("taraz-head", "manager", "taraz")
    auth.login("taraz-head")
    state = client.get("/kiosk/taraz/printer-state").get_json()
    (status,) = [k["status"] for k in state["kiosks"] if k["printer_url"].startswith("file:")]
    assert status["online"] is True
    assert device.read_bytes() == b"earlier jobs"


def test_a_status_check_of_a_dummy_folder_creates_nothing(app, client, auth, tmp_path):
    folder = tmp_path / "not-yet"
    app.config["LOCAL_PRINTERS"] = (f"dummy://{folder}",)
    _store_printer(app, f"dummy://{folder}")
    auth.create("taraz-head", "manager", "taraz")
    auth.login("taraz-head")
    assert client.get("/kiosk/taraz/printer-state").status_code == 200
    assert not folder.exists()


class Listener:
    """A TCP port that counts the connections made to it (what a port scan would touch)."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.server.settimeout(0.2)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self):
        self.stop.set()
        self.thread.join()
        self.server.close()


def test_printer_status_checks_are_rate_limited_per_member_of_staff(app, client, auth):
    listener = Listener()
    try:
        app.config.update(PRINTER_STATUS_LIMIT="3 per minute", PRINTER_STATUS_TIMEOUT=0.3)
        _store_printer(app, f"tcp://127.0.0.1:{listener.port}?status=on")
        auth.create("taraz-head", "manager", "taraz")
        auth.login("taraz-head")
        details = []
        for _ in range(6):
            answer = client.get("/kiosk/taraz/printer-state")
            assert answer.status_code == 200
            (status,) = [k["status"] for k in answer.get_json()["kiosks"] if k["printer_url"].startswith("tcp:")]
            details.append(status["detail"])
        assert details[3:] == ["not_checked"] * 3
        assert listener.connections == 3
    finally:
        listener.close()
