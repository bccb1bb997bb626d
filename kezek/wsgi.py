"""The WSGI entry point for gunicorn (docs/deployment.md).

Pages and Socket.IO: `gunicorn -k gthread --threads 100 -w 1 kezek.wsgi:app`. Kiosk instances for
busy kiosks, one request at a time per process: `gunicorn -k sync -w 2 kezek.wsgi:app`.
"""
from kezek import create_app
from kezek.alerts.checker import start_alert_checker
from kezek.serving import settle_for_serving
from kezek.services import start_printing

app = create_app()
start_printing(app)  # tickets left unprinted by a stop print now, before anyone comes
start_alert_checker(app)  # alerts are checked and e-mailed with no live floor open (one worker at a time)
settle_for_serving()
