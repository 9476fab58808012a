"""Scoping of the privacy records: the data protection officer's national register.

Requests, retention rules and destruction records are read only by national
roles holding ``privacy.manage`` (the DPO); the permission itself is granted in
``pulih/accounts/roles.py``.
"""

from __future__ import annotations

from pulih.accounts.scoping import Rule

RULES = {
    "privacy.datasubjectrequest": Rule(national_only=True),
    "privacy.retentionrule": Rule(national_only=True),
    "privacy.destructionrecord": Rule(national_only=True),
    "privacy.clientdestruction": Rule(national_only=True),
}
