"""The WSGI entry point for gunicorn: `gunicorn -k gthread --threads 100 -w 1 kezek.wsgi:app`."""
from kezek import create_app

app = create_app()
