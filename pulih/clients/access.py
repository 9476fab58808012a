"""How the client journey's records are placed in the hierarchy (merged by scoping)."""

from pulih.accounts.scoping import Rule

_CLIENT = Rule(unit="client__unit_id", regency="client__unit__village__regency_id")

RULES = {
    "clients.client": Rule(unit="unit_id", regency="unit__village__regency_id"),
    "clients.outreachcontact": Rule(unit="unit_id", regency="unit__village__regency_id"),
    "clients.session": Rule(unit="unit_id", regency="unit__village__regency_id"),
    "clients.episode": _CLIENT,
    "clients.consent": _CLIENT,
    "clients.interventionplan": _CLIENT,
    "clients.progressnote": _CLIENT,
    "clients.urinetest": _CLIENT,
    "clients.monitoringcontact": _CLIENT,
}
