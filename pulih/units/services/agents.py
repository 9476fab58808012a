"""Recovery agents: recruiting, editing, moving between units, leaving, and logins."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from pulih.accounts.models import User
from pulih.accounts.roles import UNIT_ROLES, Role
from pulih.audit.services import audit_record
from pulih.core.errors import ConflictError, DomainError, NotAllowed
from pulih.organisations.models import Unit, UnitStatus
from pulih.units.access import can_see_sensitive
from pulih.units.audit_codes import UnitAction
from pulih.units.models import Agent, BackgroundTag, MemberRole, Membership, Sex
from pulih.units.services._common import (
    clean_text,
    not_in_future,
    require_manage,
    require_roster,
    today,
)

MIN_BIRTH_YEAR = 1920
MIN_AGE = 15
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}$")


def _clean_identity(*, name: str, sex: str, birth_year: int, phone: str,
                    tags: Iterable[str]) -> tuple[str, str, list[str]]:
    name = clean_text(name, "name")
    if sex not in Sex.values:
        raise DomainError(_("Choose the sex."), field="sex")
    latest = today().year - MIN_AGE
    if not MIN_BIRTH_YEAR <= birth_year <= latest:
        raise DomainError(
            _("The birth year must be between %(min)d and %(max)d.") % {"min": MIN_BIRTH_YEAR, "max": latest},
            field="birth_year", code="birth_year_range",
        )
    phone = (phone or "").strip()
    if phone and not PHONE_RE.match(phone):
        raise DomainError(_("Enter a phone number of digits only, for example 0812 3456 7890."),
                          field="phone", code="phone_format")
    clean_tags = sorted(set(tags))
    unknown = [t for t in clean_tags if t not in BackgroundTag.values]
    if unknown:
        raise DomainError(_("Unknown background: %(tags)s") % {"tags": ", ".join(unknown)}, field="tags")
    return name, phone, clean_tags


def _check_coordinator(unit: Unit, role: str, agent: Agent | None = None) -> None:
    if role not in MemberRole.values:
        raise DomainError(_("Choose the role in the unit."), field="role")
    if role != MemberRole.COORDINATOR:
        return
    existing = Membership.objects.filter(unit=unit, role=MemberRole.COORDINATOR, active_to__isnull=True)
    if agent is not None:
        existing = existing.exclude(agent=agent)
    current = existing.select_related("agent").first()
    if current is not None:
        raise ConflictError(
            _("This unit already has an active coordinator: %(name)s.") % {"name": current.agent.name},
            field="role", code="coordinator_exists",
        )


def _check_sensitive(actor: Any, unit: Unit, former_user: bool | None, current: bool = False) -> bool:
    """The former-user flag may be set only by those allowed to see it; others keep it as it is."""
    if former_user is None or former_user == current:
        return current
    if not can_see_sensitive(actor, unit):
        raise NotAllowed(_("You may not record this background."), field="former_user",
                         code="sensitive_not_allowed")
    return former_user


def open_membership(agent: Agent) -> Membership | None:
    return agent.memberships.filter(active_to__isnull=True).first()


@transaction.atomic
def agent_create(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    unit: Unit,
    name: str,
    sex: str,
    birth_year: int,
    phone: str = "",
    tags: Iterable[str] = (),
    former_user: bool = False,
    role: str = MemberRole.MEMBER,
    active_from: dt.date | None = None,
    is_demo: bool = False,
) -> Agent:
    """Recruit an agent into ``unit``; the first membership starts ``active_from`` (today)."""
    require_roster(actor, unit)
    if unit.status == UnitStatus.INACTIVE:
        raise DomainError(_("An inactive unit cannot recruit agents."), field="unit", code="unit_inactive")
    name, phone, clean_tags = _clean_identity(name=name, sex=sex, birth_year=birth_year, phone=phone,
                                              tags=tags)
    flag = _check_sensitive(actor, unit, former_user)
    _check_coordinator(unit, role)
    active_from = active_from or today()
    not_in_future(active_from, "active_from")
    agent = Agent(name=name, sex=sex, birth_year=birth_year, phone=phone, tags=clean_tags,
                  former_user=flag, unit=unit, is_demo=is_demo)
    agent.full_clean()
    agent.save()
    Membership.objects.create(agent=agent, unit=unit, role=role, active_from=active_from)
    audit_record(action=UnitAction.AGENT_CREATED, request=request, actor=actor, obj=agent,
                 detail={"unit": unit.pk, "role": role})
    return agent


@transaction.atomic
def agent_update(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    agent: Agent,
    name: str,
    sex: str,
    birth_year: int,
    phone: str = "",
    tags: Iterable[str] = (),
    former_user: bool | None = None,
    role: str | None = None,
) -> Agent:
    """Edit an agent. ``former_user=None`` leaves the sensitive flag untouched."""
    require_roster(actor, agent.unit)
    name, phone, clean_tags = _clean_identity(name=name, sex=sex, birth_year=birth_year, phone=phone,
                                              tags=tags)
    flag = _check_sensitive(actor, agent.unit, former_user, agent.former_user)
    membership = open_membership(agent)
    changed = [f for f, v in (("name", name), ("sex", sex), ("birth_year", birth_year), ("phone", phone),
                              ("tags", clean_tags), ("former_user", flag)) if getattr(agent, f) != v]
    if role is not None and membership is not None and role != membership.role:
        _check_coordinator(agent.unit, role, agent)
        membership.role = role
        membership.save(update_fields=["role"])
        changed.append("role")
        if agent.user_id is not None:
            User.objects.filter(pk=agent.user_id).update(
                role=Role.COORDINATOR if role == MemberRole.COORDINATOR else Role.AGENT
            )
    agent.name, agent.sex, agent.birth_year, agent.phone = name, sex, birth_year, phone
    agent.tags, agent.former_user = clean_tags, flag
    agent.full_clean()
    agent.save()
    audit_record(action=UnitAction.AGENT_UPDATED, request=request, actor=actor, obj=agent,
                 detail={"changed": sorted(changed)})
    return agent


@transaction.atomic
def agent_move(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    agent: Agent,
    to_unit: Unit,
    role: str = MemberRole.MEMBER,
    moved_on: dt.date | None = None,
) -> Membership:
    """Move an agent to another unit (or bring a former agent back): the old membership is
    closed, a new one opened, and a bound login follows the agent to the new unit."""
    require_roster(actor, agent.unit)
    require_roster(actor, to_unit)
    moved_on = moved_on or today()
    not_in_future(moved_on, "moved_on")
    if to_unit.status == UnitStatus.INACTIVE:
        raise DomainError(_("An inactive unit cannot recruit agents."), field="to_unit", code="unit_inactive")
    current = open_membership(agent)
    if current is not None:
        if current.unit_id == to_unit.pk:
            raise DomainError(_("The agent is already active in this unit."), field="to_unit",
                              code="same_unit")
        if moved_on < current.active_from:
            raise DomainError(_("The move cannot be before the agent joined the current unit (%(date)s).")
                              % {"date": current.active_from}, field="moved_on", code="dates_order")
        current.active_to = moved_on
        current.save(update_fields=["active_to"])
    _check_coordinator(to_unit, role)
    membership = Membership.objects.create(agent=agent, unit=to_unit, role=role, active_from=moved_on)
    from_unit = agent.unit_id
    agent.unit = to_unit
    agent.save(update_fields=["unit", "updated_at"])
    if agent.user_id is not None:
        User.objects.filter(pk=agent.user_id).update(
            unit=to_unit, office=to_unit.office, is_active=True,
            role=Role.COORDINATOR if role == MemberRole.COORDINATOR else Role.AGENT,
        )
    audit_record(action=UnitAction.AGENT_MOVED, request=request, actor=actor, obj=agent,
                 detail={"from": from_unit, "to": to_unit.pk, "on": moved_on.isoformat()})
    return membership


@transaction.atomic
def agent_leave(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    agent: Agent,
    left_on: dt.date | None = None,
) -> Membership:
    """End the agent's membership; a bound login is switched off, the history stays."""
    require_roster(actor, agent.unit)
    current = open_membership(agent)
    if current is None:
        raise DomainError(_("The agent is not active in a unit."), code="not_active")
    left_on = left_on or today()
    not_in_future(left_on, "left_on")
    if left_on < current.active_from:
        raise DomainError(_("The end date cannot be before the start date."), field="left_on",
                          code="dates_order")
    current.active_to = left_on
    current.save(update_fields=["active_to"])
    if agent.user_id is not None:
        User.objects.filter(pk=agent.user_id).update(is_active=False)
    audit_record(action=UnitAction.AGENT_LEFT, request=request, actor=actor, obj=agent,
                 detail={"unit": current.unit_id, "on": left_on.isoformat()})
    return current


@transaction.atomic
def agent_grant_login(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    agent: Agent,
    username: str,
    password: str,
) -> User:
    """Give an active agent a login bound to the unit (role follows the role in the unit)."""
    require_manage(actor, agent.unit)
    membership = open_membership(agent)
    if membership is None:
        raise DomainError(_("Only an active agent can get a login."), code="not_active")
    if agent.user_id is not None:
        raise ConflictError(_("This agent already has a login."), code="has_login")
    username = clean_text(username, "username")
    if User.objects.filter(username__iexact=username).exists():
        raise ConflictError(_("This username is already taken."), field="username", code="duplicate")
    role = Role.COORDINATOR if membership.role == MemberRole.COORDINATOR else Role.AGENT
    user = User(username=username, full_name=agent.name, role=role, unit=agent.unit,
                office=agent.unit.office, phone=agent.phone)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password", code="weak_password") from exc
    user.set_password(password)
    try:
        user.full_clean()
    except ValidationError as exc:
        field = next(iter(exc.message_dict), None)
        raise DomainError(" ".join(exc.messages), field=field) from exc
    user.save()
    agent.user = user
    agent.save(update_fields=["user", "updated_at"])
    audit_record(action=UnitAction.AGENT_LOGIN_CREATED, request=request, actor=actor, obj=agent,
                 detail={"user": user.pk, "role": role})
    return user


@transaction.atomic
def agent_link_user(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    agent: Agent,
    user: User,
) -> Agent:
    """Bind an existing unit login (made by an administrator) to the agent's record."""
    require_manage(actor, agent.unit)
    if user.role not in UNIT_ROLES or user.unit_id != agent.unit_id:
        raise DomainError(_("Only a login of the agent's own unit can be linked."), field="user")
    if agent.user_id is not None or Agent.objects.filter(user=user).exists():
        raise ConflictError(_("This agent or this login is already linked."), code="has_login")
    agent.user = user
    agent.save(update_fields=["user", "updated_at"])
    audit_record(action=UnitAction.AGENT_LOGIN_CREATED, request=request, actor=actor, obj=agent,
                 detail={"user": user.pk, "linked": True})
    return agent
