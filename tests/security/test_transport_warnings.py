"""Warnings about the way in: an undeclared proxy, staff signing in over plain HTTP, a plain-HTTP server."""
from __future__ import annotations

import logging
import shutil
import ssl
import subprocess
import urllib.request

import pytest

from kezek import commands
from kezek.services import services
from tests.conftest import CSRF, LiveServer


def _warnings(caplog, text: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and text in r.getMessage()]


def test_forwarded_requests_without_the_proxy_setting_are_warned_of_once(app, client, caplog):
    with caplog.at_level(logging.WARNING):
        client.get("/", headers={"X-Forwarded-For": "10.20.30.40"})
        client.get("/", headers={"X-Forwarded-For": "10.20.30.41"})
    (message,) = _warnings(caplog, "X-Forwarded-For")
    assert "KEZEK_BEHIND_PROXY" in message


def test_no_proxy_warning_behind_a_declared_proxy_or_without_forwarding(tmp_path, client, caplog):
    from kezek import create_app

    proxied = create_app({"INSTANCE_PATH": str(tmp_path / "p"), "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
                          "BEHIND_PROXY": True})
    with caplog.at_level(logging.WARNING):
        proxied.test_client().get("/healthz", headers={"X-Forwarded-For": "10.20.30.40"})
        client.get("/")
    assert not _warnings(caplog, "X-Forwarded-For")
    services(proxied).engine.dispose()


def _sign_in(client, address: str, base_url: str = "http://localhost"):
    environ = {"REMOTE_ADDR": address}
    token = CSRF.search(client.get("/login", environ_base=environ, base_url=base_url).get_data(as_text=True)).group(1)
    return client.post("/login", data={"username": "aigerim", "password": "pass-1234", "csrf_token": token},
                       environ_base=environ, base_url=base_url, headers={"Referer": f"{base_url}/login"})


def test_a_staff_sign_in_over_plain_http_from_another_machine_is_warned_of(app, auth, caplog):
    auth.create("aigerim", "clerk", "taraz")
    with caplog.at_level(logging.WARNING):
        assert _sign_in(app.test_client(), "127.0.0.1").status_code == 302
        assert _sign_in(app.test_client(), "10.0.0.15", "https://localhost").status_code == 302
        assert not _warnings(caplog, "plain HTTP")
        assert _sign_in(app.test_client(), "10.0.0.16").status_code == 302
    (message,) = _warnings(caplog, "plain HTTP")
    assert "10.0.0.16" in message


@pytest.fixture
def served(app, monkeypatch):
    """`kezek serve` as the command line runs it, with the server itself replaced by a recorder."""
    calls = []
    monkeypatch.setattr(commands.webserver, "run", lambda app, host, port, on_start, server, **tls: calls.append(tls))
    monkeypatch.setattr(commands, "settle_for_serving", lambda: None)
    return calls


def test_serving_plain_http_beyond_this_machine_is_warned_of_at_start(app, served, caplog):
    runner = app.test_cli_runner()
    with caplog.at_level(logging.WARNING):
        assert runner.invoke(args=["serve", "--host", "127.0.0.1", "--port", "5999"]).exit_code == 0
        assert not _warnings(caplog, "plain HTTP")
        assert runner.invoke(args=["serve", "--host", "0.0.0.0", "--port", "5999"]).exit_code == 0
    (message,) = _warnings(caplog, "plain HTTP")
    assert "0.0.0.0" in message and "--certfile" in message
    assert served[-1]["certfile"] is None


def test_serving_with_a_certificate_uses_tls_and_does_not_warn(app, served, caplog, tmp_path):
    cert, key = tmp_path / "kezek.crt", tmp_path / "kezek.key"
    cert.write_text("certificate")
    key.write_text("key")
    with caplog.at_level(logging.WARNING):
        result = app.test_cli_runner().invoke(
            args=["serve", "--host", "0.0.0.0", "--port", "5999", "--certfile", str(cert), "--keyfile", str(key)])
    assert result.exit_code == 0, result.output
    assert (served[-1]["certfile"], served[-1]["keyfile"]) == (str(cert), str(key))
    assert not _warnings(caplog, "plain HTTP")
    half = app.test_cli_runner().invoke(args=["serve", "--certfile", str(cert)])
    assert half.exit_code != 0 and "--keyfile" in half.output


@pytest.mark.slow
def test_the_embedded_server_answers_over_tls(tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("TLS test: the openssl command is not installed")
    cert, key = tmp_path / "kezek.crt", tmp_path / "kezek.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    folder = tmp_path / "live"
    folder.mkdir()
    server = LiveServer(folder, env={"KEZEK_TLS_CERT": str(cert), "KEZEK_TLS_KEY": str(key)}).prepare()
    server.start()
    try:
        context = ssl.create_default_context(cafile=str(cert))
        with urllib.request.urlopen(f"https://localhost:{server.port}/login", context=context, timeout=10) as answer:
            assert answer.status == 200 and "csrf_token" in answer.read().decode()
    finally:
        server.stop()
