"""The one exception printer code raises, with a machine-readable reason."""

REASONS = ("offline", "timeout", "refused", "paper_out", "cover_open", "disconnected", "bad_url")


class PrinterError(Exception):
    """A print or status request failed; `.reason` is one of REASONS, the message is for logs."""

    def __init__(self, reason: str, detail: str = ""):
        if reason not in REASONS:
            raise ValueError(f"unknown printer error reason {reason!r}")
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
