"""Error pages: a short translated explanation for every error, never a stack trace."""
from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError
from sqlalchemy.exc import TimeoutError as NoConnectionFree
from werkzeug.exceptions import HTTPException, InternalServerError

from kezek.queue.errors import QueueError
from kezek.writelock import is_busy


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Please go back and try again."),
        403: _("You are not allowed to do this."),
        404: _("There is no such page, office or service."),
        405: _("This page cannot be used that way."),
        413: _("What was sent is too large."),
        429: _("Too many requests. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Nothing was lost; please try again or ask a clerk."),
        503: _("The system is busy for a moment. Please try again or ask a clerk."),
    }


CODES = {
    400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 409: "conflict",
    413: "too_large", 429: "too_many_requests", 500: "server_error", 503: "unavailable",
}


def wants_json() -> bool:
    """Whether the client asked for JSON rather than a page."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (request.is_json or best == "application/json" or request.path.startswith("/api/")
            or request.path.endswith(".json"))


def error_response(status: int, message: str | None = None, code: str | None = None):
    """A JSON body or an error page for `status`."""
    text = message or _messages().get(status) or _messages()[400 if status < 500 else 500]
    if wants_json():
        return jsonify(error=code or CODES.get(status, str(status)), message=text), status
    if request_ctx.url_adapter is None:
        # The request names a host outside KEZEK_TRUSTED_HOSTS: no page can link anywhere, so plain text.
        return Response(text, mimetype="text/plain"), status
    return render_template("errors/error.html", status=status, message=text), status


def database_away(error: BaseException) -> bool:
    """Whether `error` says the database could not take the work now: it failed with no statement sent (refused
    while connecting: a restart, a full `max_connections`; or a commit that did not go through), the connection
    was lost in the middle, or no pooled connection came free. Nothing was written."""
    if isinstance(error, NoConnectionFree):
        return True
    return isinstance(error, DBAPIError) and (error.connection_invalidated or error.statement is None)


def init_app(app: Flask) -> None:
    """Register the handlers on `app`."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        body, status = error_response(error.code or 500)
        # A 405 names the methods that do work (RFC 9110); our own body must not lose that header.
        allow = [value for name, value in error.get_headers() if name == "Allow"]
        return (body, status, {"Allow": allow[0]}) if allow else (body, status)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return error_response(400, _("The form has expired. Please go back and try again."), "csrf")

    @app.errorhandler(DataError)
    def bad_data(error: DataError):
        # Input the database cannot even hold (e.g. a NUL byte in a URL) is the client's error.
        return error_response(400)

    @app.errorhandler(QueueError)
    def queue_error(error: QueueError):
        return error_response(error.status, None, error.code)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        if is_busy(error):  # the writer's turn did not come in time: nothing was written, try again
            app.logger.warning("database writer busy on %s %s: %s", request.method, request.path, error)
            return error_response(503)
        if database_away(error):  # a moment later it may answer again: nothing was written, try again
            app.logger.error("database unreachable on %s %s: %s", request.method, request.path, error)
            return error_response(503)
        app.logger.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(InternalServerError.code)
