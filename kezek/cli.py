"""The `kezek` command: Flask's CLI bound to the Kezek application factory."""
from __future__ import annotations

from flask.cli import FlaskGroup


def _create_app():
    from kezek import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, help="Kezek queue system: kezek demo | init-db | load-seed | ...")
