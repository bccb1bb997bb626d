"""The `kezek` command: Flask's CLI bound to the Kezek application factory."""
from __future__ import annotations

import click
from flask.cli import FlaskGroup, routes_command, shell_command


def _create_app():
    from kezek import create_app
    from kezek.settings import SettingError

    try:
        return create_app()
    except SettingError as error:  # an operator's typo: say which setting, not a traceback
        raise click.ClickException(str(error)) from None


# Flask's own `run` (the development server, which starts none of the app's threads: no ticket would
# print) is left out: `kezek serve` and `kezek demo` serve. Its `shell` and `routes` stay.
main = FlaskGroup(create_app=_create_app, add_default_commands=False,
                  help="Kezek queue system: kezek demo | init-db | load-seed | ...")
main.add_command(shell_command)
main.add_command(routes_command)
