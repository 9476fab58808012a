"""Who may see and do what: the one place where access is decided.

Every selector and every view asks this module, never the role directly:

* :func:`user_can` answers "may this user do X at all" from ``roles.GRANTS``.
* :func:`scope_queryset` narrows any queryset to the rows the user may see,
  using :data:`RULES`, a table keyed by model label that says how a row
  reaches its unit and its regency. A model without a rule cannot be read
  through here (``ScopingRuleMissing``), so a new model cannot leak by
  omission.
* :func:`get_scoped_or_404` fetches one object through the same filter: an
  object outside the user's scope is indistinguishable from a missing one.

Scopes: national roles (BNN RI staff, DPO, administrator) see every area;
office roles see the regencies of their office's work area (BNN RI offices
see all); unit roles see their unit (and regional reference data).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from pulih.accounts.roles import GRANTS, NATIONAL_ROLES, OFFICE_ROLES, UNIT_ROLES, Role

M = TypeVar("M", bound=Model)


class ScopingRuleMissing(LookupError):
    pass


@dataclass(frozen=True)
class Rule:
    """How rows of one model are placed in the hierarchy.

    ``unit``: lookup path from the model to the unit's id.
    ``regency``: lookup path to the regency code.
    ``owner``: lookup path to the owning user's id (personal objects).
    ``public``: reference data any signed-in user may read.
    ``national_only``: only national-scope users may read it at all.
    """

    unit: str | None = None
    regency: str | None = None
    owner: str | None = None
    public: bool = False
    national_only: bool = False


RULES: dict[str, Rule] = {
    "regions.province": Rule(public=True),
    "regions.regency": Rule(public=True),
    "regions.district": Rule(public=True),
    "regions.village": Rule(public=True),
    "organisations.office": Rule(public=True),
    "organisations.unit": Rule(unit="id", regency="village__regency_id"),
    "accounts.user": Rule(unit="unit_id", regency="unit__village__regency_id", national_only=True),
    "accounts.apitoken": Rule(owner="user_id"),
    "audit.auditevent": Rule(national_only=True),
}


_APP_RULES_LOADED = False


def _load_app_rules() -> None:
    """Merge the declarations of each domain app's ``access.py``.

    A domain app states, next to its models, how they are placed in the
    hierarchy (``RULES``) and which extra permissions each role holds
    (``GRANTS``); the decisions themselves are still taken only here.
    """
    global _APP_RULES_LOADED
    if _APP_RULES_LOADED:
        return
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        name = f"{config.name}.access"
        if config.name.startswith("pulih.") and find_spec(name) is not None:
            module = import_module(name)
            RULES.update(getattr(module, "RULES", {}))
            for role, perms in getattr(module, "GRANTS", {}).items():
                GRANTS[role] = frozenset(GRANTS.get(role, frozenset()) | set(perms))
    _APP_RULES_LOADED = True


@dataclass(frozen=True)
class Scope:
    level: str  # "national" | "area" | "unit" | "none"
    regency_codes: frozenset[str]
    unit_id: int | None

    @property
    def is_national(self) -> bool:
        return self.level == "national"


NO_SCOPE = Scope("none", frozenset(), None)


def scope_for(user: Any) -> Scope:
    """The area a user's reads are limited to (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_pulih_scope", None)
    if cached is not None:
        return cached
    role = user.role
    scope = NO_SCOPE
    if role in NATIONAL_ROLES:
        scope = Scope("national", frozenset(), None)
    elif role in OFFICE_ROLES and user.office_id:
        office = user.office
        if office.kind == "ri":
            scope = Scope("national", frozenset(), None)
        else:
            codes = frozenset(office.work_area.values_list("code", flat=True))
            scope = Scope("area", codes, None)
    elif role in UNIT_ROLES and user.unit_id:
        regency = user.unit.village.regency_id
        scope = Scope("unit", frozenset({regency}), user.unit_id)
    user._pulih_scope = scope
    return scope


def user_can(user: Any, permission: str) -> bool:
    _load_app_rules()
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return permission in GRANTS.get(user.role, frozenset())


def require(user: Any, permission: str) -> None:
    if not user_can(user, permission):
        raise PermissionDenied(permission)


def rule_for(model: type[Model]) -> Rule:
    _load_app_rules()
    label = model._meta.label_lower
    try:
        return RULES[label]
    except KeyError as exc:
        raise ScopingRuleMissing(f"No scoping rule for {label}; add one to accounts/scoping.py") from exc


def scope_queryset(user: Any, queryset: QuerySet[M], permission: str) -> QuerySet[M]:
    """Rows of ``queryset`` that ``user`` may read with ``permission``."""
    rule = rule_for(queryset.model)
    if not user_can(user, permission):
        return queryset.none()
    if rule.public:
        return queryset
    if rule.owner:
        return queryset.filter(**{rule.owner: user.pk})
    scope = scope_for(user)
    if scope.is_national:
        return queryset
    if rule.national_only:
        return queryset.none()
    if scope.level == "area" and rule.regency:
        return queryset.filter(**{f"{rule.regency}__in": scope.regency_codes})
    if scope.level == "unit":
        if rule.unit:
            return queryset.filter(**{rule.unit: scope.unit_id})
        if rule.regency:
            return queryset.filter(**{f"{rule.regency}__in": scope.regency_codes})
    return queryset.none()


def get_scoped_or_404(user: Any, queryset: QuerySet[M], permission: str, **lookup: Any) -> M:
    obj = scope_queryset(user, queryset, permission).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def regency_in_scope(user: Any, regency_code: str) -> bool:
    scope = scope_for(user)
    return scope.is_national or regency_code in scope.regency_codes


def unit_in_scope(user: Any, unit: Any) -> bool:
    scope = scope_for(user)
    if scope.is_national:
        return True
    if scope.level == "unit":
        return unit.pk == scope.unit_id
    if scope.level == "area":
        return unit.village.regency_id in scope.regency_codes
    return False


def can_see_client_identity(user: Any, unit_id: int) -> bool:
    """Client identity stays in the unit; supervisors only where policy allows."""
    if not user_can(user, "clients.view"):
        return False
    scope = scope_for(user)
    if scope.level == "unit":
        return scope.unit_id == unit_id and user_can(user, "clients.identity")
    if user.role == Role.SUPERVISOR:
        return bool(getattr(settings, "PULIH_SUPERVISOR_SEES_IDENTITY", False))
    return False
