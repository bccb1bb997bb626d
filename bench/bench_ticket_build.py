"""Benchmark: how long building one ticket takes (text-only and raster, 58 and 80 mm) and how many bytes it is.

Run: .venv/bin/python bench/bench_ticket_build.py [--runs N]
"""
import argparse
import os
import platform
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from printer import TicketPrint, build_ticket_bytes, render_ticket  # noqa: E402

CASES = [("text", "POS-5890", 384), ("text", "TM-T20II", 576), ("raster", "POS-5890", 384), ("raster", "TM-T20II", 576)]
TARGET_MS = 20.0  # raster 80 mm


def ticket(serial: int) -> TicketPrint:
    """A hand-in ticket with a fresh status address, so no QR cache hit flatters the numbers."""
    return TicketPrint(
        office={"kk": "Жамбыл ауданының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі",
                "ru": "Отдел занятости и социальных программ Жамбылского района", "en": "Zhambyl District"},
        number=f"A-{serial % 1000:03d}",
        service={"kk": "Атаулы әлеуметтік көмек тағайындау", "ru": "Назначение адресной социальной помощи"},
        visit_kind={"kk": "Құжат тапсыру", "ru": "Сдача документов", "en": "Hand in documents"},
        lang="kk",
        issued_local=datetime(2026, 11, 25, 14, 5, tzinfo=ZoneInfo("Asia/Almaty")),
        people_ahead=4,
        estimate_min=(10, 25),
        wait_limit_min=30,
        documents={"kk": ["Өтініш", "Отбасы құрамы туралы анықтама", "Отбасының табысы туралы мәліметтер",
                          "Жеке қосалқы шаруашылық туралы анықтама", "Жеке куәлік және әлеуметтік код"]},
        status_url=f"http://kezek.local/t/{serial:08X}",
        cabinet="3",
    )


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo, or the platform's guess."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def measure(mode: str, profile: str, runs: int, start: int) -> tuple[list[float], int]:
    """Build `runs` tickets; return the times in milliseconds and the size of the last one."""
    times, size = [], 0
    for serial in range(start, start + runs):
        data = ticket(serial)
        began = time.perf_counter()
        size = len(build_ticket_bytes(data, profile, mode=mode))
        times.append((time.perf_counter() - began) * 1000)
    return times, size


def main() -> int:
    """Print a table of build times and byte sizes; exit 1 if raster 80 mm misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    began = time.perf_counter()
    build_ticket_bytes(ticket(0), "TM-T20II")  # loads escpos profiles, fonts and segno once
    first_ms = (time.perf_counter() - began) * 1000

    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {cpu_model()}")
    print(f"first ticket in a fresh process (imports, font loading): {first_ms:.0f} ms")
    print(f"{'mode':<7} {'paper':<6} {'profile':<9} {'median ms':>9} {'p95 ms':>7} {'bytes':>7} {'serial 115200':>13}")
    raster_80 = None
    for offset, (mode, profile, width) in enumerate(CASES):
        times, size = measure(mode, profile, args.runs, 1000 * (offset + 1))
        median = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1]
        seconds_on_serial = size * 10 / 115200
        paper = "80mm" if width >= 576 else "58mm"
        print(f"{mode:<7} {paper:<6} {profile:<9} {median:>9.1f} {p95:>7.1f} {size:>7} {seconds_on_serial:>12.1f}s")
        if (mode, width) == ("raster", 576):
            raster_80 = median
    render_times = []
    for serial in range(9000, 9000 + args.runs):
        data = ticket(serial)
        began = time.perf_counter()
        render_ticket(data, 576)
        render_times.append((time.perf_counter() - began) * 1000)
    print(f"render_ticket only, 80mm: median {statistics.median(render_times):.1f} ms")
    verdict = "meets" if raster_80 < TARGET_MS else "MISSES"
    print(f"raster 80mm median {raster_80:.1f} ms {verdict} the {TARGET_MS:.0f} ms target")
    return 0 if raster_80 < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
