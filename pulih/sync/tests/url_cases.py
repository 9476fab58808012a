from typing import Any

from pulih.testing.url_cases import UrlCase
from pulih.testing.world import World

UNIT = frozenset({"agent", "coordinator"})
EVERYONE = frozenset({"agent", "coordinator", "supervisor", "office_staff", "partner", "dpo", "admin"})


def _conflict(w: World, unit: str = "kayu") -> dict[str, Any]:
    from pulih.sync.models import Conflict

    owner = w.alice if unit == "kayu" else w.bob
    conflict = Conflict.objects.create(
        label="clients.client",
        object_id="x",
        field="phone",
        unit_id=int(owner.unit_id or 0),
        created_by=owner,
        server_value='"1"',
        device_value='"2"',
    )
    return {"conflict_id": conflict.pk}


def _conflict_out(w: World, user: Any) -> dict[str, Any]:
    return _conflict(w, "mesu" if user.unit_id == w.unit_kayu_aro.pk else "kayu")


CASES = [
    # The device's own data: a caseload exists only for unit roles; none of it lies outside the caller.
    UrlCase("api:sync_session", UNIT),
    UrlCase("api:sync_reference", UNIT),
    UrlCase("api:sync_pull", UNIT),
    UrlCase("api:sync_push", UNIT, methods=("post",)),
    UrlCase("api:sync_conflict_list", UNIT),
    UrlCase(
        "api:sync_conflict_resolve", UNIT, kwargs=_conflict, out_of_scope=_conflict_out, methods=("post",)
    ),
]
