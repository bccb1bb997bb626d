"""Every table of Kezek, importable from one place."""
from kezek.models.alert import ALERT_EVENTS, ALERT_RULES, Alert, AlertEvent, AlertSetting
from kezek.models.audit import AuditEntry
from kezek.models.base import Base, UTCDateTime, make_engine, new_uid, utcnow
from kezek.models.cabinet import CLOSED, OPEN, PAUSED, Cabinet, Kiosk, cabinet_visit_kind
from kezek.models.command import ClerkCommand
from kezek.models.health import HealthProbe
from kezek.models.device import BOARD, DEVICE_KINDS, KIOSK, PRINTER_STATES, TABLET, Device
from kezek.models.directory import (
    AKIMAT, DEPARTMENT, ENTRY_KINDS, REGIONAL, DirectoryChange, DirectoryEntry,
)
from kezek.models.node import CentreLink, Node, OutboxEntry
from kezek.models.office import CalendarDay, Office, OfficeHours
from kezek.models.service import COLLECT, HAND_IN, Service, VisitKind
from kezek.models.ticket import (
    CALLED, CANCELLED, NO_SHOW, OPEN_STATES, SERVED, SERVING, TRANSFERRED, WAITING,
    DailyCounter, Ticket, TicketEvent,
)
from kezek.models.printing import FAILED, QUEUED, SENT, PrintJob
from kezek.models.reports import Annex2Value, FeedbackAnswer, ServiceDecision, WaitRecord
from kezek.models.rollup import RollupMonth, WaitRollup
from kezek.models.turned_away import TurnedAway
from kezek.models.user import ADMIN, CLERK, MANAGER, REGIONAL_MANAGER, ROLES, User
from kezek.models.twofactor import TwoFactor

__all__ = [
    "Alert", "AlertEvent", "AlertSetting", "ALERT_RULES", "ALERT_EVENTS",
    "AuditEntry",
    "Base", "UTCDateTime", "make_engine", "new_uid", "utcnow",
    "Node", "CentreLink", "OutboxEntry",
    "Cabinet", "Kiosk", "cabinet_visit_kind", "CLOSED", "OPEN", "PAUSED",
    "ClerkCommand", "HealthProbe",
    "Device", "DEVICE_KINDS", "KIOSK", "BOARD", "TABLET", "PRINTER_STATES",
    "CalendarDay", "Office", "OfficeHours",
    "DirectoryEntry", "DirectoryChange", "DEPARTMENT", "AKIMAT", "REGIONAL", "ENTRY_KINDS",
    "Service", "VisitKind", "HAND_IN", "COLLECT",
    "DailyCounter", "Ticket", "TicketEvent",
    "WAITING", "CALLED", "SERVING", "SERVED", "NO_SHOW", "CANCELLED", "TRANSFERRED", "OPEN_STATES",
    "PrintJob", "QUEUED", "SENT", "FAILED",
    "WaitRecord", "FeedbackAnswer", "ServiceDecision", "Annex2Value", "WaitRollup", "RollupMonth",
    "TurnedAway",
    "User", "ROLES", "CLERK", "MANAGER", "REGIONAL_MANAGER", "ADMIN",
    "TwoFactor",
]
