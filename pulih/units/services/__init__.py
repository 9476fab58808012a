"""Every write of programme management (split by sub-domain, re-exported here)."""

from pulih.units.services.agents import (
    agent_create,
    agent_grant_login,
    agent_leave,
    agent_link_user,
    agent_move,
    agent_update,
)
from pulih.units.services.supervision import (
    evaluation_save,
    followup_add,
    followup_complete,
    stakeholder_create,
    stakeholder_update,
    visit_create,
    workplan_save,
)
from pulih.units.services.training import (
    event_create,
    event_record_attendance,
    event_set_participants,
    event_update,
)
from pulih.units.services.units import (
    allowed_transitions,
    unit_change_status,
    unit_create,
    unit_derive_trained,
    unit_record_initial_status,
    unit_update,
)

__all__ = [
    "agent_create",
    "agent_grant_login",
    "agent_leave",
    "agent_link_user",
    "agent_move",
    "agent_update",
    "allowed_transitions",
    "evaluation_save",
    "event_create",
    "event_record_attendance",
    "event_set_participants",
    "event_update",
    "followup_add",
    "followup_complete",
    "stakeholder_create",
    "stakeholder_update",
    "unit_change_status",
    "unit_create",
    "unit_derive_trained",
    "unit_record_initial_status",
    "unit_update",
    "visit_create",
    "workplan_save",
]
