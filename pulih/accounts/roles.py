"""The roles of domain.md §5 and what each may do.

There is deliberately no law-enforcement role: nobody outside the programme
gets access to client records.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Recovery agent (Agen Pemulihan)")
    COORDINATOR = "coordinator", _("Unit coordinator (Ketua IBM)")
    SUPERVISOR = "supervisor", _("Technical supervisor (Pembina teknis)")
    OFFICE_STAFF = "office_staff", _("BNNP / BNN RI staff")
    PARTNER = "partner", _("Partner (Pemda, Dinas, Desa Bersinar pokja)")
    DPO = "dpo", _("Data protection officer / auditor")
    ADMIN = "admin", _("Administrator")


UNIT_ROLES = frozenset({Role.AGENT, Role.COORDINATOR})
OFFICE_ROLES = frozenset({Role.SUPERVISOR, Role.OFFICE_STAFF, Role.PARTNER})
NATIONAL_ROLES = frozenset({Role.DPO, Role.ADMIN})
STAFF_ROLES = frozenset({Role.SUPERVISOR, Role.OFFICE_STAFF, Role.DPO, Role.ADMIN})


class Perm:
    """Permission names. Each app adds its own; the table below grants them."""

    OFFICES_VIEW = "offices.view"
    OFFICES_MANAGE = "offices.manage"
    USERS_MANAGE = "users.manage"
    AUDIT_VIEW = "audit.view"
    REGIONS_VIEW = "regions.view"
    TOKENS_OWN = "tokens.own"
    UNITS_VIEW = "units.view"
    UNITS_MANAGE = "units.manage"
    UNITS_EDIT_OWN = "units.edit_own"
    AGENTS_SENSITIVE = "agents.sensitive"
    CLIENTS_VIEW = "clients.view"
    CLIENTS_IDENTITY = "clients.identity"
    CLIENTS_EDIT = "clients.edit"
    AGGREGATES_VIEW = "aggregates.view"
    HOTSPOTS_VIEW = "hotspots.view"
    MAPPING_EDIT = "mapping.edit"
    IKRN_MANAGE = "ikrn.manage"
    REPORTS_SUBMIT = "reports.submit"
    REPORTS_VERIFY = "reports.verify"
    PROVIDERS_MANAGE = "providers.manage"
    PRIVACY_MANAGE = "privacy.manage"


_COMMON = {Perm.REGIONS_VIEW, Perm.TOKENS_OWN, Perm.OFFICES_VIEW}

GRANTS: dict[str, frozenset[str]] = {
    Role.AGENT: frozenset(
        _COMMON
        | {
            Perm.UNITS_VIEW,
            Perm.AGENTS_SENSITIVE,
            Perm.CLIENTS_VIEW,
            Perm.CLIENTS_IDENTITY,
            Perm.CLIENTS_EDIT,
            Perm.HOTSPOTS_VIEW,
            Perm.MAPPING_EDIT,
        }
    ),
    Role.COORDINATOR: frozenset(
        _COMMON
        | {
            Perm.UNITS_VIEW,
            Perm.UNITS_EDIT_OWN,
            Perm.AGENTS_SENSITIVE,
            Perm.CLIENTS_VIEW,
            Perm.CLIENTS_IDENTITY,
            Perm.CLIENTS_EDIT,
            Perm.HOTSPOTS_VIEW,
            Perm.MAPPING_EDIT,
            Perm.REPORTS_SUBMIT,
        }
    ),
    Role.SUPERVISOR: frozenset(
        _COMMON
        | {
            Perm.UNITS_VIEW,
            Perm.UNITS_MANAGE,
            Perm.AGENTS_SENSITIVE,
            Perm.CLIENTS_VIEW,
            Perm.AGGREGATES_VIEW,
            Perm.HOTSPOTS_VIEW,
            Perm.REPORTS_VERIFY,
            Perm.IKRN_MANAGE,
        }
    ),
    Role.OFFICE_STAFF: frozenset(_COMMON | {Perm.UNITS_VIEW, Perm.AGGREGATES_VIEW, Perm.IKRN_MANAGE}),
    Role.PARTNER: frozenset(_COMMON | {Perm.AGGREGATES_VIEW}),
    Role.DPO: frozenset(_COMMON | {Perm.AUDIT_VIEW, Perm.PRIVACY_MANAGE}),
    Role.ADMIN: frozenset(
        _COMMON
        | {
            Perm.OFFICES_MANAGE,
            Perm.USERS_MANAGE,
            Perm.UNITS_VIEW,
            Perm.UNITS_MANAGE,
            Perm.PROVIDERS_MANAGE,
            Perm.IKRN_MANAGE,
        }
    ),
}
