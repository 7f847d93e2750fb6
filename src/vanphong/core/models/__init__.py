"""Core models, one module per concern; import them from here."""

from vanphong.core.models.accounts import Account, ApiToken
from vanphong.core.models.audit import AuditEntry, AuditHead
from vanphong.core.models.calendar import CalendarAdjustment, DayKind
from vanphong.core.models.organizations import (
    Organization,
    OrganizationRecord,
    OrgKind,
    OrgLevel,
    Restructuring,
    RestructuringKind,
)
from vanphong.core.models.people import Clearance, Person, Position, PositionHolding
from vanphong.core.models.roles import Delegation, Role, RoleGrant

__all__ = [
    "Account",
    "ApiToken",
    "AuditEntry",
    "AuditHead",
    "CalendarAdjustment",
    "Clearance",
    "DayKind",
    "Delegation",
    "OrgKind",
    "OrgLevel",
    "Organization",
    "OrganizationRecord",
    "Person",
    "Position",
    "PositionHolding",
    "Restructuring",
    "RestructuringKind",
    "Role",
    "RoleGrant",
]
