"""Which server `kezek serve` runs: gunicorn where it can, waitress on Windows, a clear word otherwise."""
from __future__ import annotations

import pytest

from kezek import webserver


def test_auto_picks_gunicorn_here_and_waitress_on_windows(monkeypatch):
    assert webserver.choose("auto") == "gunicorn"
    monkeypatch.setattr(webserver.os, "name", "nt")
    assert webserver.choose("auto") == "waitress"
    with pytest.raises(webserver.ServerUnavailable, match="does not run on Windows"):
        webserver.choose("gunicorn")


def test_a_missing_or_unknown_server_is_refused_with_what_to_do(monkeypatch):
    with pytest.raises(webserver.ServerUnavailable, match="unknown server 'werkzeug'"):
        webserver.choose("werkzeug")
    monkeypatch.setattr(webserver.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(webserver.ServerUnavailable, match="pip install waitress"):
        webserver.choose("waitress")


def test_serve_refuses_an_unknown_server_without_a_traceback(runner):
    result = runner.invoke(args=["serve", "--server", "werkzeug"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "werkzeug" in result.output


def test_an_office_with_many_screens_and_phones_gives_the_server_more_threads(monkeypatch, tmp_path):
    """Every open board, console, floor and phone page holds one of the serving process's threads."""
    from kezek import create_app
    from kezek.settings import SettingError

    assert webserver.threads(create_app({"INSTANCE_PATH": str(tmp_path)})) == 100
    monkeypatch.setenv("KEZEK_SERVER_THREADS", "400")
    assert webserver.threads(create_app({"INSTANCE_PATH": str(tmp_path)})) == 400
    for bad in ("5", "many", "100000"):
        monkeypatch.setenv("KEZEK_SERVER_THREADS", bad)
        with pytest.raises(SettingError, match="KEZEK_SERVER_THREADS must be a whole number from 10 to 2000"):
            create_app({"INSTANCE_PATH": str(tmp_path)})
