"""The installers' test page command and the cost of importing the package."""
import os
import subprocess
import sys

from escpos_reader import read_escpos
from printer.testpage import main


def test_test_page_command_prints_to_a_dummy_folder(tmp_path, capsys):
    assert main([f"dummy://{tmp_path}", "--profile", "POS-5890", "--png", str(tmp_path / "page.png")]) == 0
    jobs = [name for name in os.listdir(tmp_path) if name.endswith(".bin")]
    assert len(jobs) == 1
    assert read_escpos((tmp_path / jobs[0]).read_bytes()).image.width == 384
    assert (tmp_path / "page.png").exists()
    assert "test page sent" in capsys.readouterr().out


def test_test_page_command_reports_a_failed_printer(capsys):
    assert main(["tcp://127.0.0.1:1", "--timeout", "1"]) == 1
    assert "refused" in capsys.readouterr().err


def test_test_page_command_rejects_bad_input(capsys):
    assert main(["not a url"]) == 1
    assert main(["dummy://", "--profile", "NO-SUCH"]) == 2


def test_importing_printer_loads_neither_escpos_nor_pillow(tmp_path):
    code = "import sys, printer; print(any(m.split('.')[0] in ('escpos', 'PIL', 'segno') for m in sys.modules))"
    env = {**os.environ, "ESCPOS_CAPABILITIES_PICKLE_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "False"


def test_module_runs_as_a_command(tmp_path):
    result = subprocess.run([sys.executable, "-m", "printer.testpage", f"dummy://{tmp_path}", "--width", "384"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
