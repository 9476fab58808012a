"""Every write of the client journey (see the modules for each sub-domain)."""

from pulih.clients.services.care import (
    contact_done,
    contact_schedule,
    note_write,
    plan_create,
    session_record,
    urine_test_record,
)
from pulih.clients.services.episodes import episode_close, episode_reopen, episode_set_status
from pulih.clients.services.registration import (
    ConsentInput,
    client_register,
    client_update,
    consent_give,
    consent_withdraw,
    outreach_log,
)

__all__ = [
    "ConsentInput",
    "client_register",
    "client_update",
    "consent_give",
    "consent_withdraw",
    "contact_done",
    "contact_schedule",
    "episode_close",
    "episode_reopen",
    "episode_set_status",
    "note_write",
    "outreach_log",
    "plan_create",
    "session_record",
    "urine_test_record",
]
