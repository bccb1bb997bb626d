"""Settings from the environment: an operator's typo stops the start with a message naming the variable."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from kezek import create_app
from kezek.cli import main
from kezek.settings import SettingError


@pytest.mark.parametrize("value", ["abc", "-1", "nan", "inf"])
def test_a_reuse_time_that_is_not_seconds_stops_the_start(monkeypatch, tmp_path, value):
    monkeypatch.setenv("KEZEK_ESTIMATE_REUSE_SECONDS", value)
    with pytest.raises(SettingError, match="KEZEK_ESTIMATE_REUSE_SECONDS must be a number of seconds"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_a_reuse_time_in_seconds_is_taken(monkeypatch, tmp_path):
    monkeypatch.setenv("KEZEK_ESTIMATE_REUSE_SECONDS", "2.5")
    assert create_app({"INSTANCE_PATH": str(tmp_path)}).config["ESTIMATE_REUSE_SECONDS"] == 2.5


def test_a_kiosk_limit_that_cannot_be_read_stops_the_start_instead_of_leaving_kiosks_unlimited(monkeypatch, tmp_path):
    monkeypatch.setenv("KEZEK_KIOSK_TICKET_LIMIT", "lots please")
    with pytest.raises(SettingError, match="KEZEK_KIOSK_TICKET_LIMIT must be a rate limit"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_the_kezek_command_names_the_bad_setting_without_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("KEZEK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("KEZEK_KIOSK_TICKET_LIMIT", "lots please")
    result = CliRunner().invoke(main, ["routes"])
    assert result.exit_code == 1
    assert "Error: KEZEK_KIOSK_TICKET_LIMIT must be a rate limit such as '20 per minute'" in result.output
    assert "Traceback" not in result.output
