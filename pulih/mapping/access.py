"""How mapping records are placed in the hierarchy, and who may act on them.

Decisions are taken by :mod:`pulih.accounts.scoping`; this module declares.

* Situation mappings and hotspots belong to a unit: its users and the staff
  of the area read them. Hotspots are sensitive: only roles holding
  ``hotspots.view`` (agents, coordinators, supervisors) see them at all.
* IKRN, Desa Bersinar and village map points are area data placed through the
  village: unit users read those of their own village (``unit`` path through
  the village's IBM units), area staff those of their regencies, national
  roles all.
* An IKRN import is its uploader's own job record.
"""

from __future__ import annotations

from pulih.accounts.roles import Perm, Role
from pulih.accounts.scoping import Rule


class MappingPerm:
    VIEW = "mapping.view"  # IKRN, Desa Bersinar, drug-prone areas, the map
    SITUATION_VIEW = "mapping.situation_view"
    EDIT = Perm.MAPPING_EDIT  # a unit's own situation mapping and hotspots
    HOTSPOTS_VIEW = Perm.HOTSPOTS_VIEW
    IKRN_MANAGE = Perm.IKRN_MANAGE
    BERSINAR_MANAGE = "bersinar.manage"


_VIA_MAPPING = Rule(unit="mapping__unit_id", regency="mapping__unit__village__regency_id")
_VIA_VILLAGE = Rule(unit="village__ibm_units__id", regency="village__regency_id")

RULES = {
    "mapping.situationmapping": Rule(unit="unit_id", regency="unit__village__regency_id"),
    "mapping.useestimate": _VIA_MAPPING,
    "mapping.hotspot": _VIA_MAPPING,
    "mapping.resource": _VIA_MAPPING,
    "mapping.mappingstakeholder": _VIA_MAPPING,
    "mapping.villagepoint": _VIA_VILLAGE,
    "mapping.ikrnassessment": _VIA_VILLAGE,
    "mapping.ikrnimport": Rule(owner="uploaded_by_id"),
    "mapping.ikrnthreshold": Rule(public=True),
    # Published province figures (from news or BNN releases) are public facts.
    "mapping.provincepronefigure": Rule(public=True),
    "mapping.bersinarvillage": _VIA_VILLAGE,
    "mapping.bersinarevaluation": Rule(
        unit="bersinar__village__ibm_units__id", regency="bersinar__village__regency_id"
    ),
}

GRANTS = {
    Role.AGENT: {MappingPerm.VIEW, MappingPerm.SITUATION_VIEW},
    Role.COORDINATOR: {MappingPerm.VIEW, MappingPerm.SITUATION_VIEW},
    Role.SUPERVISOR: {MappingPerm.VIEW, MappingPerm.SITUATION_VIEW, MappingPerm.BERSINAR_MANAGE},
    Role.OFFICE_STAFF: {MappingPerm.VIEW, MappingPerm.SITUATION_VIEW, MappingPerm.BERSINAR_MANAGE},
    Role.PARTNER: {MappingPerm.VIEW},
    Role.ADMIN: {MappingPerm.VIEW, MappingPerm.SITUATION_VIEW, MappingPerm.BERSINAR_MANAGE},
}
