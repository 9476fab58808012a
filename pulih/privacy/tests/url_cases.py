"""Every privacy URL: the data protection officer only, nationally (no out-of-scope object)."""

from __future__ import annotations

from typing import Any

from pulih.testing.url_cases import UrlCase
from pulih.testing.world import World

DPO = frozenset({"dpo"})
NATIONAL = "the data protection officer's scope is national"
SOME_ID = "00000000-0000-4000-8000-000000000009"


def _request(world: World) -> dict[str, Any]:
    return {"pk": SOME_ID}


def _api_request(world: World) -> dict[str, Any]:
    return {"request_id": SOME_ID}


def _rule(world: World) -> dict[str, Any]:
    from pulih.privacy.models import RetentionRule

    rule = RetentionRule.objects.order_by("pk").first()
    return {"pk": rule.pk if rule else 1}


CASES = [
    UrlCase("privacy:home", DPO),
    UrlCase("privacy:request_create", DPO, methods=("get", "post")),
    UrlCase("privacy:request_detail", DPO, kwargs=_request, sees_all=NATIONAL),
    UrlCase("privacy:request_verify", DPO, kwargs=_request, methods=("post",), sees_all=NATIONAL),
    UrlCase("privacy:request_close", DPO, kwargs=_request, methods=("post",), sees_all=NATIONAL),
    UrlCase("privacy:request_export", DPO, kwargs=_request, sees_all=NATIONAL),
    UrlCase("privacy:request_export_json", DPO, kwargs=_request, sees_all=NATIONAL),
    UrlCase("privacy:request_rectify", DPO, kwargs=_request, methods=("get", "post"), sees_all=NATIONAL),
    UrlCase("privacy:request_restrict", DPO, kwargs=_request, methods=("post",), sees_all=NATIONAL),
    UrlCase("privacy:restriction_lift", DPO, kwargs=_request, methods=("post",), sees_all=NATIONAL),
    UrlCase("privacy:request_erase", DPO, kwargs=_request, methods=("post",), sees_all=NATIONAL),
    UrlCase("privacy:retention", DPO),
    UrlCase("privacy:retention_rule_edit", DPO, kwargs=_rule, methods=("get", "post"), sees_all=NATIONAL),
    UrlCase("privacy:breach", DPO),
    UrlCase("api:privacy_requests_list", DPO),
    UrlCase("api:privacy_request_create", DPO, methods=("post",)),
    UrlCase("api:privacy_request_get", DPO, kwargs=_api_request, sees_all=NATIONAL),
    UrlCase("api:privacy_request_verify", DPO, kwargs=_api_request, methods=("post",), sees_all=NATIONAL),
    UrlCase("api:privacy_request_close", DPO, kwargs=_api_request, methods=("post",), sees_all=NATIONAL),
    UrlCase("api:privacy_request_export", DPO, kwargs=_api_request, sees_all=NATIONAL),
    UrlCase("api:privacy_request_rectify", DPO, kwargs=_api_request, methods=("post",), sees_all=NATIONAL),
    UrlCase("api:privacy_request_restrict", DPO, kwargs=_api_request, methods=("post",), sees_all=NATIONAL),
    UrlCase("api:privacy_restriction_lift", DPO, kwargs=_api_request, methods=("post",), sees_all=NATIONAL),
    UrlCase("api:privacy_request_erase", DPO, kwargs=_api_request, methods=("post",), sees_all=NATIONAL),
    UrlCase("api:privacy_retention_rules_list", DPO),
    UrlCase("api:privacy_destructions_list", DPO),
    UrlCase("api:privacy_breach_query", DPO),
]
