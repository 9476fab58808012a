from typing import Any

from pulih.referrals.tests.factories import make_provider, world_client, world_referral
from pulih.testing.url_cases import UrlCase
from pulih.testing.world import World

UNIT = frozenset({"agent", "coordinator"})
READERS = frozenset({"agent", "coordinator", "supervisor"})
PROVIDER_READERS = frozenset({"agent", "coordinator", "supervisor", "admin"})
ADMIN = frozenset({"admin"})
DIRECTORY = "the service directory is reference data, not client data; administrators edit it nationally"


def _other_unit(w: World, user: Any) -> str:
    """The unit whose records lie outside ``user``'s scope."""
    in_kayu = user.unit_id == w.unit_kayu_aro.pk or (user.office_id == w.bnnp_jambi.pk)
    return "mesu" if in_kayu else "kayu"


def _referral(w: World) -> dict[str, Any]:
    return {"pk": world_referral(w).pk}


def _referral_out(w: World, user: Any) -> dict[str, Any]:
    return {"pk": world_referral(w, _other_unit(w, user)).pk}


def _provider(w: World) -> dict[str, Any]:
    return {"pk": make_provider(w).pk}


CASES = [
    UrlCase("referrals:list", READERS),
    UrlCase(
        "referrals:create",
        UNIT,
        kwargs=lambda w: {"client_id": world_client(w).pk},
        out_of_scope=lambda w, user: {"client_id": world_client(w, _other_unit(w, user)).pk},
        methods=("get", "post"),
    ),
    UrlCase("referrals:detail", READERS, kwargs=_referral, out_of_scope=_referral_out),
    UrlCase("referrals:letter", UNIT, kwargs=_referral, out_of_scope=_referral_out),
    UrlCase(
        "referrals:action",
        UNIT,
        kwargs=lambda w: {**_referral(w), "action": "receive"},
        out_of_scope=lambda w, user: {**_referral_out(w, user), "action": "receive"},
        methods=("get", "post"),
    ),
    # The directory is reference data: no object lies outside anyone's scope.
    UrlCase("referrals:provider_list", PROVIDER_READERS),
    UrlCase("referrals:provider_detail", PROVIDER_READERS, kwargs=_provider, sees_all=DIRECTORY),
    UrlCase("referrals:provider_create", ADMIN, methods=("get", "post")),
    UrlCase("referrals:provider_edit", ADMIN, kwargs=_provider, methods=("get", "post"), sees_all=DIRECTORY),
    UrlCase("api:referrals_provider_list", PROVIDER_READERS),
    UrlCase(
        "api:referrals_provider_get",
        PROVIDER_READERS,
        kwargs=lambda w: {"provider_id": make_provider(w).pk},
        sees_all=DIRECTORY,
    ),
    UrlCase("api:referrals_provider_create", ADMIN, methods=("post",)),
    UrlCase(
        "api:referrals_provider_update",
        ADMIN,
        kwargs=lambda w: {"provider_id": make_provider(w).pk},
        methods=("patch",),
        sees_all=DIRECTORY,
    ),
    UrlCase("api:referrals_referral_list", READERS),
    UrlCase(
        "api:referrals_referral_get",
        READERS,
        kwargs=lambda w: {"referral_id": world_referral(w).pk},
        out_of_scope=lambda w, user: {"referral_id": world_referral(w, _other_unit(w, user)).pk},
    ),
    UrlCase("api:referrals_referral_create", UNIT, methods=("post",)),
    UrlCase(
        "api:referrals_referral_transition",
        UNIT,
        kwargs=lambda w: {"referral_id": world_referral(w).pk},
        out_of_scope=lambda w, user: {"referral_id": world_referral(w, _other_unit(w, user)).pk},
        methods=("post",),
    ),
]
