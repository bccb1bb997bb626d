"""The SQLite write lock queues writers across threads and across processes."""
from __future__ import annotations

import multiprocessing
import threading
import time

from kezek.writelock import SQLiteWriteLock


def _hold(path: str, seconds: float, started) -> None:
    with SQLiteWriteLock(path):
        started.set()
        time.sleep(seconds)


def test_a_second_process_waits_for_the_first_writer(tmp_path):
    path = str(tmp_path / "k.sqlite3")
    started = multiprocessing.Event()
    other = multiprocessing.get_context("fork").Process(target=_hold, args=(path, 0.5, started))
    other.start()
    assert started.wait(10)
    began = time.monotonic()
    with SQLiteWriteLock(path):
        waited = time.monotonic() - began
    other.join(10)
    assert waited >= 0.3  # it could not write while the other process held the lock


def test_threads_take_turns(tmp_path):
    lock = SQLiteWriteLock(str(tmp_path / "k.sqlite3"))
    inside, most = [0], [0]

    def write():
        for _ in range(50):
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
                inside[0] -= 1

    threads = [threading.Thread(target=write) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1
