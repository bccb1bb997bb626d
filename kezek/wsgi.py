"""The WSGI entry point for gunicorn (docs/deployment.md).

Pages and Socket.IO: `gunicorn -k gthread --threads 100 -w 1 kezek.wsgi:app`. Kiosk instances for
busy kiosks, one request at a time per process: `gunicorn -k sync -w 2 kezek.wsgi:app`. Each worker
imports this module and starts its own threads here, and stops them when it exits; with `--preload`
the master imports it once and each worker, a fork of the master, starts its own (serve_in_forked_workers).
"""
import atexit

from kezek import create_app
from kezek.serving import serve_in_forked_workers, settle_for_serving
from kezek.services import start_serving, stop_serving

app = create_app()
start_serving(app)  # the print worker (unprinted tickets print now), the publishers, the alert checker
atexit.register(stop_serving, app)  # the ticket being printed finishes; the screens get what was queued
serve_in_forked_workers(app)  # gunicorn --preload
settle_for_serving()
