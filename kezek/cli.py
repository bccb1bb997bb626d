"""The `kezek` command: Flask's CLI bound to the Kezek application factory."""
from __future__ import annotations

import click
from flask.cli import FlaskGroup


def _create_app():
    from kezek import create_app
    from kezek.settings import SettingError

    try:
        return create_app()
    except SettingError as error:  # an operator's typo: say which setting, not a traceback
        raise click.ClickException(str(error)) from None


main = FlaskGroup(create_app=_create_app, help="Kezek queue system: kezek demo | init-db | load-seed | ...")
