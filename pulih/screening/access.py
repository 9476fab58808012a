"""How screening records are placed in the hierarchy (merged by ``pulih.accounts.scoping``).

Screenings hang off a client: a unit's agents see their unit's, supervisors
their work area's (pseudonymous); reading needs ``clients.view``, working on
one ``clients.edit``. Instruments are public reference data that every role
may read (``instruments.view``).
"""

from pulih.accounts.roles import Role
from pulih.accounts.scoping import Rule

INSTRUMENTS_VIEW = "instruments.view"

_CLIENT = Rule(unit="client__unit_id", regency="client__unit__village__regency_id")

RULES = {
    "screening.screening": _CLIENT,
    "screening.substanceresult": Rule(
        unit="screening__client__unit_id", regency="screening__client__unit__village__regency_id"
    ),
    "screening.instrument": Rule(public=True),
}

GRANTS = {role: {INSTRUMENTS_VIEW} for role in Role}
