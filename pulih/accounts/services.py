"""Writes for accounts: users and personal API tokens.

Each service is keyword-only, validates meaning (forms only validate shape),
runs in one transaction and writes its audit event in that transaction.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.accounts.models import ApiToken, User, new_security_stamp
from pulih.accounts.roles import NATIONAL_ROLES, OFFICE_ROLES, UNIT_ROLES, Perm, Role
from pulih.accounts.scoping import require
from pulih.audit.codes import AdminAction
from pulih.audit.services import audit_record
from pulih.core.errors import DomainError
from pulih.organisations.models import Office, Unit

TOKEN_PREFIX = "pulih_"  # noqa: S105 - a public prefix, not a secret


def _check_membership(role: str, office: Office | None, unit: Unit | None) -> None:
    if role in UNIT_ROLES and unit is None:
        raise DomainError(_("Agents and coordinators must belong to an IBM unit."), field="unit")
    if role in OFFICE_ROLES | NATIONAL_ROLES and office is None:  # DPO and administrators: usually BNN RI
        raise DomainError(_("This role must belong to an office."), field="office")
    if role in OFFICE_ROLES | NATIONAL_ROLES and unit is not None:
        raise DomainError(_("Only agents and coordinators belong to a unit."), field="unit")


def _set_password(user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)


@transaction.atomic
def user_create(
    *,
    actor: User,
    request: HttpRequest | None = None,
    username: str,
    full_name: str,
    role: str,
    password: str,
    office: Office | None = None,
    unit: Unit | None = None,
    email: str = "",
    phone: str = "",
) -> User:
    require(actor, Perm.USERS_MANAGE)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This username is already taken."), field="username", code="duplicate")
    if role not in Role.values:
        raise DomainError(_("Unknown role."), field="role")
    if unit is not None and office is None:
        office = unit.office
    _check_membership(role, office, unit)
    user = User(
        username=username,
        full_name=full_name.strip(),
        role=role,
        office=office,
        unit=unit,
        email=email,
        phone=phone,
    )
    _set_password(user, password)
    user.full_clean()
    user.save()
    audit_record(
        action=AdminAction.USER_CREATED,
        request=request,
        actor=actor,
        obj=user,
        detail={"role": role, "office": office.pk if office else None, "unit": unit.pk if unit else None},
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    request: HttpRequest | None = None,
    user: User,
    full_name: str,
    role: str,
    office: Office | None,
    unit: Unit | None,
    is_active: bool,
    email: str = "",
    phone: str = "",
    password: str = "",
) -> User:
    require(actor, Perm.USERS_MANAGE)
    if user.pk == actor.pk and (not is_active or role != actor.role):
        raise DomainError(_("You cannot deactivate yourself or change your own role."), field="role")
    if unit is not None and office is None:
        office = unit.office
    _check_membership(role, office, unit)
    changes = {
        name: value
        for name, value in {
            "full_name": full_name.strip(),
            "role": role,
            "office_id": office.pk if office else None,
            "unit_id": unit.pk if unit else None,
            "is_active": is_active,
            "email": email,
            "phone": phone,
        }.items()
        if getattr(user, name) != value
    }
    user.full_name, user.role, user.office, user.unit = full_name.strip(), role, office, unit
    was_active = user.is_active
    user.is_active, user.email, user.phone = is_active, email, phone
    if password:
        _set_password(user, password)
    if was_active and not is_active:
        # Disabling an account ends its sessions at once (see User.get_session_auth_hash).
        user.security_stamp = new_security_stamp()
    user.full_clean()
    user.save()
    audit_record(
        action=AdminAction.USER_UPDATED,
        request=request,
        actor=actor,
        obj=user,
        detail={"changed": sorted(changes)},
    )
    if password:
        audit_record(action=AdminAction.USER_PASSWORD_SET, request=request, actor=actor, obj=user)
    return user


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, user: User, request: HttpRequest | None = None, name: str) -> tuple[ApiToken, str]:
    """Create a personal token; the raw value is returned once and never stored."""
    require(user, Perm.TOKENS_OWN)
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name, for example the device it is for."), field="name")
    if len(name) > 100:
        raise DomainError(_("The name is too long (at most 100 characters)."), field="name")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:12], token_hash=_hash_token(raw))
    audit_record(
        action=AdminAction.TOKEN_CREATED, request=request, actor=user, obj=token, detail={"name": name}
    )
    return token, raw


@transaction.atomic
def token_revoke(*, user: User, request: HttpRequest | None = None, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise DomainError(_("Token not found."), status=404, code="not_found")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(action=AdminAction.TOKEN_REVOKED, request=request, actor=user, obj=token)
    return token


def token_authenticate(raw: str) -> tuple[User, ApiToken] | None:
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token
