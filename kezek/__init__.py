"""Kezek: queue and directory kiosks for social-service offices."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Flask is imported when an app is made, so Flask-free code may use kezek.resources
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; `config` overrides settings read from the environment."""
    from flask import Flask

    from kezek import settings
    from kezek.resources import static_folder

    app = Flask(
        __name__,
        static_folder=str(static_folder()),
        static_url_path="/static",
        instance_path=settings.instance_path(config),
    )
    app.config.from_mapping(settings.from_environment(app.instance_path))
    if config:
        app.config.from_mapping(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the unbound extension objects to this app."""
    from kezek import extensions, inputs, logs, security, wiring

    logs.init_app(app)
    inputs.init_app(app)
    security.init_app(app)
    # The app's services (kezek.services): database, write lock, print worker, publishers, screens' state;
    # the threads among them start where serving starts.
    wiring.make_services(app)
    extensions.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount one blueprint per screen."""
    from kezek.admin import bp as admin_bp
    from kezek.auth import bp as auth_bp
    from display import bp as display_bp
    from directory import bp as directory_bp
    from kezek.console import bp as console_bp
    from kezek.devices import bp as devices_bp
    from kezek.home import bp as home_bp
    from kiosk import bp as kiosk_bp
    from kezek.nodes import bp as nodes_bp
    from kezek.phone import bp as phone_bp
    from kezek.reports import bp as reports_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(console_bp, url_prefix="/console")
    app.register_blueprint(kiosk_bp, url_prefix="/kiosk")
    app.register_blueprint(directory_bp, url_prefix="/directory")
    app.register_blueprint(phone_bp)
    app.register_blueprint(display_bp, url_prefix="/display")
    app.register_blueprint(reports_bp, url_prefix="/reports")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(devices_bp, url_prefix="/devices")
    app.register_blueprint(nodes_bp, url_prefix="/nodes")


def register_errorhandlers(app: Flask) -> None:
    """Answer every error with a plain page (or JSON), never a stack trace."""
    from kezek import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    """Add the `kezek` management commands to `flask`."""
    from kezek import commands

    commands.init_app(app)
