"""How referral records are placed in the hierarchy, and who may act on them.

Decisions are taken by :mod:`pulih.accounts.scoping`; this module only
declares. A referral belongs to the unit of its client: the unit's agents and
coordinator work with it, supervisors of the area read it pseudonymously.
The provider directory is public reference data for the roles that refer or
supervise referrals; administrators maintain it.
"""

from __future__ import annotations

from pulih.accounts.roles import Role
from pulih.accounts.scoping import Rule


class ReferralPerm:
    PROVIDERS_VIEW = "providers.view"
    PROVIDERS_MANAGE = "providers.manage"  # granted to administrators in accounts/roles.py
    VIEW = "referrals.view"
    MANAGE = "referrals.manage"


RULES = {
    "referrals.serviceprovider": Rule(public=True),
    "referrals.referral": Rule(unit="unit_id", regency="unit__village__regency_id"),
    "referrals.referralevent": Rule(unit="referral__unit_id", regency="referral__unit__village__regency_id"),
}

GRANTS = {
    Role.AGENT: {ReferralPerm.PROVIDERS_VIEW, ReferralPerm.VIEW, ReferralPerm.MANAGE},
    Role.COORDINATOR: {ReferralPerm.PROVIDERS_VIEW, ReferralPerm.VIEW, ReferralPerm.MANAGE},
    Role.SUPERVISOR: {ReferralPerm.PROVIDERS_VIEW, ReferralPerm.VIEW},
    Role.ADMIN: {ReferralPerm.PROVIDERS_VIEW},
}
