"""How the records of programme management are placed in the hierarchy.

``RULES`` is merged by ``pulih.accounts.scoping``, which takes every read
decision. The three predicates below only combine its answers for the
write decisions of this app, so that views, the API and the services ask
the same question in the same words.
"""

from __future__ import annotations

from typing import Any

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import Rule, scope_for, unit_in_scope, user_can
from pulih.organisations.models import Unit

_VIA_UNIT = Rule(unit="unit_id", regency="unit__village__regency_id")

RULES = {
    "units.unitstatuschange": _VIA_UNIT,
    "units.agent": _VIA_UNIT,
    "units.membership": _VIA_UNIT,
    "units.stakeholder": _VIA_UNIT,
    "units.trainingevent": _VIA_UNIT,
    "units.participant": Rule(unit="event__unit_id", regency="event__unit__village__regency_id"),
    "units.visit": _VIA_UNIT,
    "units.followup": Rule(unit="visit__unit_id", regency="visit__unit__village__regency_id"),
    "units.evaluation": _VIA_UNIT,
    "units.workplan": _VIA_UNIT,
}


def can_manage(user: Any, unit: Unit) -> bool:
    """Supervising staff (and administrators) of a unit in their area."""
    return user_can(user, Perm.UNITS_MANAGE) and unit_in_scope(user, unit)


def can_edit_roster(user: Any, unit: Unit) -> bool:
    """Agents, stakeholders and the work plan: supervisors, and the unit's own coordinator."""
    if can_manage(user, unit):
        return True
    return user_can(user, Perm.UNITS_EDIT_OWN) and unit_in_scope(user, unit)


def can_see_sensitive(user: Any, unit: Unit) -> bool:
    """The "former user" background: inside the unit and its supervising office only."""
    if not (user_can(user, Perm.AGENTS_SENSITIVE) and unit_in_scope(user, unit)):
        return False
    scope = scope_for(user)
    if scope.level == "unit":
        return True
    return user.office_id is not None and user.office_id == unit.office_id
