"""Print agent for a kiosk PC with its own printer: fetch the kiosk's jobs from the server, print, report back.

    python -m printer.agent --server https://kezek.example --kiosk taraz/main --token TOKEN --printer usb://04b8:0e15

The token comes from `kezek kiosk-token <office> <kiosk>` on the server (or KEZEK_AGENT_TOKEN). Only the
standard library is used to talk to the server; the printer is opened like anywhere else in Kezek.
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import os
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from printer.errors import PrinterError

log = logging.getLogger("kezek.agent")
# How often the agent tells the server what its printer says (DLE EOT status), for the device health page.
STATUS_SECONDS = 30.0


class ServerError(Exception):
    """The server could not be reached or refused the agent; `status` is the HTTP status if there was one."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class Server:
    """The server's print agent endpoints for one kiosk, over plain HTTP(S) with the kiosk's token."""

    def __init__(self, base_url: str, office: str, kiosk: str, token: str, timeout: float = 15.0):
        self.base = base_url.rstrip("/") + f"/kiosk/{urllib.parse.quote(office)}/agent/jobs"
        self.query = "?" + urllib.parse.urlencode({"kiosk": kiosk})
        self.token, self.timeout = token, timeout

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(
            self.base + path + self.query,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={
                "Authorization": f"Bearer {self.token}",
                "Accept": "application/json",
                "Content-Type": "application/json",
                **({"X-Printer-Status": self.status} if getattr(self, "status", None) is not None else {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise ServerError(f"server answered HTTP {error.code} to {method} {path or '/'}", error.code) from error
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise ServerError(f"server not reachable: {error}") from error

    def jobs(self, status: str | None = None) -> list[dict]:
        """The kiosk's jobs waiting to print, oldest first (id, ticket, state, data as base64).

        `status` is the printer's answer to DLE EOT 1, 2, 4 in hex ("" when it gave none, e.g. it did not
        answer): the server decodes it for the device health page and the kiosk's printer notice.
        """
        self.status = status
        try:
            return self._call("GET", "").get("jobs", [])
        finally:
            self.status = None

    def report(self, job_id: int, reason: str | None) -> None:
        """Tell the server a job printed (`reason` None) or failed with `reason`."""
        body = {"state": "sent"} if reason is None else {"state": "failed", "error": reason}
        self._call("POST", f"/{job_id}", body)


def printer_ready(printer) -> bool:
    """Whether a printer says it could print now (one without status counts as ready)."""
    status = printer.status()
    return status.online and status.paper != "out" and not status.cover_open


class Agent:
    """Polls the server, prints the kiosk's jobs in order, retries with backoff while the printer is down."""

    def __init__(
        self,
        server: Server,
        printer_url: str,
        timeout: float = 5.0,
        poll: float = 2.0,
        retry_seconds: tuple[float, float] = (2.0, 60.0),
    ):
        self.server, self.printer_url, self.timeout, self.poll = server, printer_url, timeout, poll
        self.retry_seconds = retry_seconds
        self.down: str | None = None  # why the printer failed last, while it is considered down
        self.backoff = 0.0
        self.retry_at = 0.0
        self.printed = 0
        self.status_at = 0.0  # when the printer's status was last sent along (every STATUS_SECONDS)

    def open(self):
        """A fresh printer object for the agent's URL (raises PrinterError for a bad URL)."""
        from printer import open_printer

        return open_printer(self.printer_url, timeout=self.timeout)

    def _printer_failed(self, reason: str) -> None:
        first, longest = self.retry_seconds
        self.down = reason
        self.backoff = first if not self.backoff else min(self.backoff * 2, longest)
        self.retry_at = time.monotonic() + self.backoff

    def print_jobs(self, jobs: list[dict]) -> None:
        """Print jobs in order and report each; stop at the first printer failure."""
        for job in jobs:
            try:
                self.open().send(base64.b64decode(job["data"]))
            except PrinterError as error:
                log.warning("ticket %s not printed: %s", job.get("ticket"), error)
                self.server.report(job["id"], error.reason)
                self._printer_failed(error.reason)
                return
            self.server.report(job["id"], None)
            self.printed += 1
            log.info("ticket %s printed", job.get("ticket"))
        self.down, self.backoff = None, 0.0

    def printer_status(self) -> str | None:
        """What to tell the server of the printer, every STATUS_SECONDS (else None): its status bytes in hex,
        "" when it does not answer, "-" when it has no status channel (a file or CUPS printer)."""
        if time.monotonic() - self.status_at < STATUS_SECONDS:
            return None
        self.status_at = time.monotonic()
        try:
            status = self.open().status()
        except PrinterError:
            return ""
        if status.answer:
            return status.answer.hex()
        return "-" if status.online else ""

    def step(self) -> None:
        """One round: fetch the waiting jobs, then print them, or (printer down) say so for the new ones."""
        jobs = self.server.jobs(self.printer_status())
        if self.down and time.monotonic() >= self.retry_at:
            try:
                ready = printer_ready(self.open())
            except PrinterError:
                ready = False
            if ready:
                self.down = None
            else:
                self._printer_failed(self.down)
        if self.down:
            # the printer is known to be down: new tickets' screens should say so now, not after a timeout
            for job in jobs:
                if job.get("state") == "queued":
                    self.server.report(job["id"], self.down)
        elif jobs:
            self.print_jobs(jobs)

    def run(self, stop: threading.Event | None = None) -> None:
        """Poll until `stop` is set (for ever from the command line); a lost server is retried with backoff."""
        stop = stop or threading.Event()
        wait = self.poll
        while not stop.is_set():
            try:
                self.step()
                wait = self.poll
            except ServerError as error:
                log.warning("%s; trying again in %.0f s", error, wait)
                if error.status in (401, 403):
                    log.error("the server refused the token: issue a new one with `kezek kiosk-token`")
                wait = min(max(wait * 2, self.poll), self.retry_seconds[1])
            stop.wait(wait)


def main(argv: list[str] | None = None) -> int:
    """Run the agent from the command line until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m printer.agent", description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="the Kezek server's address, e.g. https://kezek.example")
    parser.add_argument("--kiosk", required=True, help="office/kiosk, e.g. taraz/main")
    parser.add_argument(
        "--token",
        default=os.environ.get("KEZEK_AGENT_TOKEN"),
        help="the kiosk's agent token (default: $KEZEK_AGENT_TOKEN, which keeps it out of `ps`)",
    )
    parser.add_argument("--printer", required=True, help="printer URL: usb://..., serial://..., tcp://..., file://...")
    parser.add_argument("--timeout", type=float, default=5.0, help="printer timeout in seconds (default 5)")
    parser.add_argument("--poll", type=float, default=2.0, help="seconds between asking for jobs (default 2)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    office, _, kiosk = args.kiosk.partition("/")
    if not office or not kiosk or not args.token:
        parser.error("--kiosk must be office/kiosk and a token is required")
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(asctime)s %(levelname)s %(message)s"
    )
    agent = Agent(Server(args.server, office, kiosk, args.token), args.printer, args.timeout, args.poll)
    try:
        agent.open()
    except PrinterError as error:
        print(f"printer URL not usable: {error}", file=sys.stderr)
        return 2
    try:
        agent.run()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
