from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pulih.mapping.tests.factories import (
    bersinar_for,
    hotspot_for,
    ikrn_for,
    import_by,
    mapping_for,
    other_unit,
)
from pulih.organisations.models import Unit
from pulih.testing.url_cases import UrlCase
from pulih.testing.world import World

VIEW = frozenset({"agent", "coordinator", "supervisor", "office_staff", "partner", "admin"})
SITUATION = frozenset({"agent", "coordinator", "supervisor", "office_staff", "admin"})
EDIT = frozenset({"agent", "coordinator"})
HOTSPOTS = frozenset({"agent", "coordinator", "supervisor"})
IKRN = frozenset({"supervisor", "office_staff", "admin"})
BERSINAR = IKRN
POINT = frozenset({"agent", "coordinator", "supervisor", "office_staff", "admin"})


def _outside(key: str, build: Callable[[Unit], Any]) -> Callable[[World, Any], dict[str, Any] | None]:
    def out(w: World, user: Any) -> dict[str, Any] | None:
        unit = other_unit(w, user)
        return None if unit is None else {key: build(unit).pk}

    return out


def _inside(key: str, build: Callable[[Unit], Any]) -> Callable[[World], dict[str, Any]]:
    return lambda w: {key: build(w.unit_kayu_aro).pk}


def _village(unit: Unit) -> Any:
    class _V:
        pk = unit.village_id

    return _V


def _own_import_not(w: World, user: Any) -> dict[str, Any]:
    # Imports are personal: anyone else's is out of scope, even for national roles.
    other = w.adam if user.pk != w.adam.pk else w.olga
    return {"pk": import_by(other).pk}


def _own_import_not_api(w: World, user: Any) -> dict[str, Any]:
    return {"import_id": _own_import_not(w, user)["pk"]}


CASES = [
    UrlCase("mapping:index", VIEW),
    UrlCase("mapping:situation_list", SITUATION),
    UrlCase("mapping:situation_create", EDIT),
    UrlCase("mapping:situation_compare", SITUATION),
    UrlCase(
        "mapping:situation_detail",
        SITUATION,
        kwargs=_inside("pk", mapping_for),
        out_of_scope=_outside("pk", mapping_for),
    ),
    UrlCase(
        "mapping:situation_edit",
        EDIT,
        kwargs=_inside("pk", mapping_for),
        out_of_scope=_outside("pk", mapping_for),
    ),
    UrlCase(
        "mapping:estimate_set",
        EDIT,
        methods=("post",),
        kwargs=_inside("pk", mapping_for),
        out_of_scope=_outside("pk", mapping_for),
    ),
    UrlCase(
        "mapping:resource_add",
        EDIT,
        methods=("post",),
        kwargs=_inside("pk", mapping_for),
        out_of_scope=_outside("pk", mapping_for),
    ),
    UrlCase(
        "mapping:stakeholder_add",
        EDIT,
        methods=("post",),
        kwargs=_inside("pk", mapping_for),
        out_of_scope=_outside("pk", mapping_for),
    ),
    UrlCase(
        "mapping:hotspot_create",
        EDIT,
        kwargs=_inside("pk", mapping_for),
        out_of_scope=_outside("pk", mapping_for),
    ),
    UrlCase(
        "mapping:hotspot_edit",
        EDIT,
        kwargs=_inside("pk", hotspot_for),
        out_of_scope=_outside("pk", hotspot_for),
    ),
    UrlCase(
        "mapping:hotspot_delete",
        EDIT,
        methods=("post",),
        kwargs=_inside("pk", hotspot_for),
        out_of_scope=_outside("pk", hotspot_for),
    ),
    UrlCase("mapping:ikrn_list", VIEW),
    UrlCase("mapping:ikrn_import", IKRN),
    UrlCase(
        "mapping:ikrn_import_detail",
        IKRN,
        kwargs=lambda w: {"pk": import_by(w.adam).pk},
        out_of_scope=_own_import_not,
    ),
    UrlCase(
        "mapping:ikrn_template", IKRN, kwargs=lambda w: {"fmt": "csv"}, sees_all="names a file format, not an object"
    ),
    UrlCase("mapping:ikrn_rule", VIEW),
    UrlCase("mapping:prone_areas", VIEW),
    UrlCase("mapping:bersinar_list", VIEW),
    UrlCase("mapping:bersinar_create", BERSINAR),
    UrlCase(
        "mapping:bersinar_detail",
        VIEW,
        kwargs=_inside("pk", bersinar_for),
        out_of_scope=_outside("pk", bersinar_for),
    ),
    UrlCase(
        "mapping:bersinar_edit",
        BERSINAR,
        kwargs=_inside("pk", bersinar_for),
        out_of_scope=_outside("pk", bersinar_for),
    ),
    UrlCase(
        "mapping:bersinar_advance",
        BERSINAR,
        methods=("post",),
        kwargs=_inside("pk", bersinar_for),
        out_of_scope=_outside("pk", bersinar_for),
    ),
    UrlCase(
        "mapping:bersinar_evaluate",
        BERSINAR,
        methods=("post",),
        kwargs=_inside("pk", bersinar_for),
        out_of_scope=_outside("pk", bersinar_for),
    ),
    UrlCase("mapping:map", VIEW),
    UrlCase(
        "mapping:village_point",
        POINT,
        kwargs=_inside("code", _village),
        out_of_scope=_outside("code", _village),
    ),
    # The Leaflet library itself: any signed-in user.
    # API
    UrlCase("api:mapping_situation_list", SITUATION),
    UrlCase(
        "api:mapping_situation_get",
        SITUATION,
        kwargs=_inside("situation_id", mapping_for),
        out_of_scope=_outside("situation_id", mapping_for),
    ),
    UrlCase("api:mapping_hotspot_list", HOTSPOTS),
    UrlCase("api:mapping_hotspot_create", EDIT, methods=("post",)),
    UrlCase(
        "api:mapping_hotspot_get",
        HOTSPOTS,
        kwargs=_inside("hotspot_id", hotspot_for),
        out_of_scope=_outside("hotspot_id", hotspot_for),
    ),
    UrlCase("api:mapping_ikrn_list", VIEW),
    UrlCase("api:mapping_ikrn_rule", VIEW),
    UrlCase("api:mapping_prone_areas", VIEW),
    UrlCase("api:mapping_ikrn_import_create", IKRN, methods=("post",)),
    UrlCase(
        "api:mapping_ikrn_import_get",
        IKRN,
        kwargs=lambda w: {"import_id": import_by(w.adam).pk},
        out_of_scope=_own_import_not_api,
    ),
    UrlCase(
        "api:mapping_ikrn_get",
        VIEW,
        kwargs=_inside("ikrn_id", ikrn_for),
        out_of_scope=_outside("ikrn_id", ikrn_for),
    ),
    UrlCase("api:mapping_bersinar_list", VIEW),
    UrlCase(
        "api:mapping_bersinar_get",
        VIEW,
        kwargs=_inside("bersinar_id", bersinar_for),
        out_of_scope=_outside("bersinar_id", bersinar_for),
    ),
    UrlCase("api:mapping_map_data", VIEW),
]
