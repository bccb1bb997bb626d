"""The WSGI entry point for gunicorn (docs/deployment.md).

Pages and Socket.IO: `gunicorn -k gthread --threads 100 -w 1 kezek.wsgi:app`. Kiosk instances for
busy kiosks, one request at a time per process: `gunicorn -k sync -w 2 kezek.wsgi:app`.
"""
from kezek import create_app
from kezek.serving import settle_for_serving
from kezek.services import start_serving

app = create_app()
start_serving(app)  # the print worker (unprinted tickets print now), the publishers, the alert checker
settle_for_serving()
