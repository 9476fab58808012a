"""Who may sync (decided by :mod:`pulih.accounts.scoping`; declared here).

Only unit roles carry a caseload, so only agents and coordinators sync
client data. Conflicts belong to a unit.
"""

from pulih.accounts.roles import Role
from pulih.accounts.scoping import Rule


class SyncPerm:
    USE = "sync.use"


RULES = {
    "sync.conflict": Rule(unit="unit_id", regency="unit__village__regency_id"),
    "sync.pushbatch": Rule(owner="user_id"),
    "sync.pullcheckpoint": Rule(owner="user_id"),
    "sync.change": Rule(unit="unit_id"),
}

GRANTS = {
    Role.AGENT: {SyncPerm.USE},
    Role.COORDINATOR: {SyncPerm.USE},
}
