"""The print journal: every ticket's print jobs, sent off the request path and retried until printed.

One job per module: the paper ticket (tickets.py), the journal (journal.py), print agents and their
tokens (agents.py), printer URLs and statuses (statuses.py), the worker threads (worker.py). The names
below are the package's public face, as callers have always imported them from `kezek.printing`.
"""

from kezek.models.printing import FAILED, QUEUED, SENT, SUPERSEDED
from kezek.printing.agents import AGENT_URL, agent_token_matches, is_agent, new_agent_token, token_hash
from kezek.printing.journal import (
    JOB_ERROR,
    RETRY_WINDOW,
    agent_jobs,
    fail_queued,
    pending_jobs,
    queue_print,
    record_outcome,
    reprint,
)
from kezek.printing.statuses import live_statuses, printer_policy, printer_states, printer_url
from kezek.printing.tickets import job_bytes, ticket_print
from kezek.printing.worker import PrinterLane, PrintWorker

__all__ = [
    "AGENT_URL",
    "FAILED",
    "QUEUED",
    "SENT",
    "SUPERSEDED",
    "PrintWorker",
    "agent_jobs",
    "agent_token_matches",
    "is_agent",
    "job_bytes",
    "new_agent_token",
    "pending_jobs",
    "printer_states",
    "queue_print",
    "record_outcome",
    "reprint",
    "ticket_print",
    "JOB_ERROR",
    "RETRY_WINDOW",
    "PrinterLane",
    "fail_queued",
    "live_statuses",
    "printer_policy",
    "printer_url",
    "token_hash",
]
