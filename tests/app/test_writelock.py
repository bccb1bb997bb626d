"""The SQLite write lock queues writers across threads and across processes."""
from __future__ import annotations

import multiprocessing
import threading
import time

import pytest

from kezek.writelock import SQLiteWriteLock, WriteBusy, writer_turn


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


def _count(path: str, counter, times: int, start) -> None:
    """Add one to `counter` `times` times, each as a read and a later write under the lock."""
    lock = SQLiteWriteLock(path)
    start.wait(10)
    for _ in range(times):
        with lock:
            seen = int(counter.read_text() or 0)
            time.sleep(0.0005)  # a lost update shows if another process writes meanwhile
            counter.write_text(str(seen + 1))


def test_busy_processes_taking_turns_lose_no_write(tmp_path):
    # Two server processes writing as fast as they can: most turns are waited for, and each must be whole,
    # or two visitors get one number.
    path, counter = str(tmp_path / "k.sqlite3"), tmp_path / "counter"
    counter.write_text("0")
    fork = multiprocessing.get_context("fork")
    start = fork.Event()
    workers = [fork.Process(target=_count, args=(path, counter, 300, start)) for _ in range(3)]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0, 0, 0]
    assert counter.read_text() == "900"


def _take_within(path: str, seconds: float, answer) -> None:
    try:
        with SQLiteWriteLock(path, timeout=seconds):
            answer.put("wrote")
    except WriteBusy:
        answer.put("busy")


def test_a_writer_that_gave_up_waiting_leaves_the_database_free_for_others(tmp_path):
    # A tap that waited its bounded time got "try again"; once the long writer is done, the database must
    # not stay locked by that abandoned wait: other processes and this one write again.
    path = str(tmp_path / "k.sqlite3")
    fork = multiprocessing.get_context("fork")
    started, answer = fork.Event(), fork.Queue()
    holder = fork.Process(target=_hold, args=(path, 1.0, started))
    holder.start()
    assert started.wait(10)
    lock = SQLiteWriteLock(path, timeout=0.2)
    with pytest.raises(WriteBusy):
        with lock:
            pass
    holder.join(10)
    other = fork.Process(target=_take_within, args=(path, 3.0, answer))
    other.start()
    assert answer.get(timeout=10) == "wrote"
    other.join(10)
    with lock:  # and this process's own next writer gets its turn
        pass


def test_a_writer_has_its_database_connection_before_it_takes_the_turn():
    # The pool's connections may all be held by threads waiting for the turn: one taken after it would wait
    # for theirs, and they for the turn.
    happened: list[str] = []

    class Session:
        def connection(self):
            happened.append("connection")

    class Lock:
        def __enter__(self):
            happened.append("turn")

        def __exit__(self, *exc):
            happened.append("turn given back")

    with writer_turn(Session(), Lock()):
        happened.append("write")
    assert happened == ["connection", "turn", "write", "turn given back"]
