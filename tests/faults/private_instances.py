"""Private PostgreSQL and Redis instances that fault tests stop and restart (never the shared ones)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("KEZEK_PG_BIN", "/usr/lib/postgresql/15/bin"))
REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, seconds: float, process: subprocess.Popen | None = None) -> bool:
    """Whether 127.0.0.1:`port` accepts connections within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            if process is not None and process.poll() is not None:
                return False
            time.sleep(0.1)
    return False


def postgres_missing() -> str | None:
    """Why a private PostgreSQL cannot be made here, or None when it can."""
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
        return f"fault test: PostgreSQL binaries not found in {PG_BIN} (set KEZEK_PG_BIN)"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "fault test: running as root, and runuser is missing to start PostgreSQL as postgres"
    return None


def redis_missing() -> str | None:
    """Why a private Redis cannot be started here, or None when it can."""
    return None if REDIS_SERVER else "fault test: redis-server is not on PATH"


class PrivatePostgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1:<free port> with trust auth, run as the postgres user."""

    def __init__(self) -> None:
        # Not under pytest's tmp_path: that folder is root-only, and the cluster runs as postgres.
        self.folder = Path(tempfile.mkdtemp(prefix="kezek-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()

    def _run(self, *args: str, timeout: float = 60) -> None:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=timeout)

    def init(self) -> "PrivatePostgres":
        """Create the cluster's files."""
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        return self

    def start(self) -> "PrivatePostgres":
        """Start the server and wait until it accepts connections."""
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=200 "
                   "-c shared_buffers=32MB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", options,
                  "-w", "-t", "60", "start", timeout=90)
        return self

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; `immediate` is a crash (no checkpoint, every backend killed at once)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", timeout=90)

    def running(self) -> bool:
        """Whether the cluster's postmaster is up."""
        return (self.data / "postmaster.pid").exists()

    def create_database(self, name: str) -> str:
        """Create database `name`; returns its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def url(self, name: str) -> str:
        """The SQLAlchemy URL of database `name` on this cluster."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        """Stop the server if it runs and delete its files."""
        if self.running():
            try:
                self.stop("immediate")
            except subprocess.SubprocessError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)


class PrivateRedis:
    """A throwaway redis-server on 127.0.0.1:<free port>, no persistence; can be stopped and started again."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="kezek-redis-"))
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "PrivateRedis":
        """Start redis-server on the same port as before and wait until it answers."""
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=open(self.folder / "redis.log", "ab"), stderr=subprocess.STDOUT,
        )
        if not wait_port(self.port, 20, self.process):
            raise RuntimeError((self.folder / "redis.log").read_text(errors="replace"))
        return self

    def stop(self) -> None:
        """Stop this redis-server (by its own process id)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def remove(self) -> None:
        """Stop the server and delete its folder."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
