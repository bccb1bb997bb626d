"""The structure rules of .ci/structure.py hold on the tree, and the check catches what it is for."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _structure():
    spec = importlib.util.spec_from_file_location("structure", ROOT / ".ci" / "structure.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_tree_has_no_new_import_circle_and_no_new_long_module():
    assert _structure().problems() == []


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for package in ("kezek", "kiosk", "display", "directory", "printer"):
        (tmp_path / package).mkdir(exist_ok=True)
        (tmp_path / package / "__init__.py").touch()
    return tmp_path


def test_a_new_circle_a_long_module_fail_and_a_blueprint_package_and_migrations_do_not(tmp_path):
    structure = _structure()
    root = _tree(tmp_path, {
        "kezek/queue/__init__.py": "",
        "kezek/queue/a.py": "def f():\n    from kezek.queue import b\n",  # deferred: still a circle
        "kezek/queue/b.py": "from .a import f\n",
        "kezek/long.py": "x = 1\n" * 401,
        "kezek/migrations/versions/0001_long.py": "x = 1\n" * 900,
        "kiosk/__init__.py": "from flask import Blueprint\nbp = Blueprint('kiosk', __name__)\nfrom kiosk import routes\n",
        "kiosk/routes.py": "from kiosk import bp\n",
    })
    found = structure.problems(root)
    assert "import circle among: kezek.queue.a, kezek.queue.b" in found
    assert any(line.startswith("kezek/long.py: 401 lines") for line in found)
    assert len(found) == 2, found
