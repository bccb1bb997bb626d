"""Logging: plain text by default, one JSON object per line for log collectors, a line per request."""
from __future__ import annotations

import json
import logging
import time

from flask import Flask, g, request


class JsonFormatter(logging.Formatter):
    """Formats a log record as one JSON object (time, level, logger, message, extra fields)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def init_app(app: Flask) -> None:
    """Set the log format and log each request's method, route, status and duration (no personal data)."""
    if app.config.get("LOG_FORMAT") == "json":
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        app.logger.handlers[:] = [handler]
    app.logger.setLevel(logging.INFO)
    requests = logging.getLogger("kezek.requests")

    @app.before_request
    def start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        started = g.pop("request_started", None)
        if started is not None and request.endpoint != "static":
            # The route pattern, not the path: ticket codes in /t/<code> are not logged.
            requests.info("%s %s %s", request.method, request.url_rule.rule if request.url_rule else "-",
                          response.status_code, extra={"fields": {
                              "method": request.method,
                              "route": request.url_rule.rule if request.url_rule else None,
                              "status": response.status_code,
                              "ms": round((time.perf_counter() - started) * 1000, 1),
                          }})
        return response
