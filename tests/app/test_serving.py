"""A serving process freezes what it made at start-up, so the garbage collector's full pass stays short."""
from __future__ import annotations

import os
import subprocess
import sys


def test_the_wsgi_entry_point_keeps_start_up_objects_out_of_the_collectors_walk(tmp_path):
    """Without the freeze every full collection walks the app's few hundred thousand objects, and a
    kiosk tap waits 60-70 ms behind it; frozen, they are never walked again."""
    code = "import gc, kezek.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"
    env = dict(os.environ, KEZEK_INSTANCE_PATH=str(tmp_path))
    printed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                             check=True).stdout.split()
    frozen, walked = int(printed[-2]), int(printed[-1])
    assert frozen > 50_000
    assert walked < frozen / 10
