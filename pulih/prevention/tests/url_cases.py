from __future__ import annotations

from typing import Any

from pulih.mapping.tests.factories import other_unit
from pulih.prevention.tests.factories import activity_for
from pulih.testing.url_cases import UrlCase
from pulih.testing.world import World

VIEW = frozenset({"agent", "coordinator", "supervisor", "office_staff", "partner", "admin"})
EDIT = frozenset({"agent", "coordinator", "supervisor"})


def _inside(key: str) -> Any:
    return lambda w: {key: activity_for(w.unit_kayu_aro).pk}


def _outside(key: str) -> Any:
    def out(w: World, user: Any) -> dict[str, Any] | None:
        unit = other_unit(w, user)
        return None if unit is None else {key: activity_for(unit).pk}

    return out


CASES = [
    UrlCase("prevention:activity_list", VIEW),
    UrlCase("prevention:activity_create", EDIT),
    UrlCase("prevention:activity_detail", VIEW, kwargs=_inside("pk"), out_of_scope=_outside("pk")),
    UrlCase("prevention:activity_edit", EDIT, kwargs=_inside("pk"), out_of_scope=_outside("pk")),
    UrlCase("api:prevention_activity_list", VIEW),
    UrlCase("api:prevention_activity_summary", VIEW),
    UrlCase("api:prevention_activity_create", EDIT, methods=("post",)),
    UrlCase(
        "api:prevention_activity_get",
        VIEW,
        kwargs=_inside("activity_id"),
        out_of_scope=_outside("activity_id"),
    ),
]
