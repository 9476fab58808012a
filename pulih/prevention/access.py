"""How community activities are placed in the hierarchy, and who may record them.

An activity belongs to its village; the village's IBM unit (derived when it
is recorded) lets the unit's users see it, area staff see those of their
regencies, national roles all. Agents, coordinators and supervisors record
activities; partners read them.
"""

from __future__ import annotations

from pulih.accounts.roles import Role
from pulih.accounts.scoping import Rule


class PreventionPerm:
    VIEW = "activities.view"
    EDIT = "activities.edit"


RULES = {
    "prevention.communityactivity": Rule(unit="unit_id", regency="village__regency_id"),
    "prevention.participantcount": Rule(unit="activity__unit_id", regency="activity__village__regency_id"),
}

GRANTS = {
    Role.AGENT: {PreventionPerm.VIEW, PreventionPerm.EDIT},
    Role.COORDINATOR: {PreventionPerm.VIEW, PreventionPerm.EDIT},
    Role.SUPERVISOR: {PreventionPerm.VIEW, PreventionPerm.EDIT},
    Role.OFFICE_STAFF: {PreventionPerm.VIEW},
    Role.PARTNER: {PreventionPerm.VIEW},
    Role.ADMIN: {PreventionPerm.VIEW},
}
