"""Second factor: TOTP (RFC 6238) with single-use recovery codes.

Which roles must use it is the setting ``PULIH_2FA_REQUIRED_ROLES``. Any change
to a user's second factor rotates their security stamp, which ends every other
session (see ``User.get_session_auth_hash``).
"""

from __future__ import annotations

import hashlib
import secrets
import time

import pyotp
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.accounts.models import RecoveryCode, TotpDevice, User, new_security_stamp
from pulih.accounts.roles import Perm
from pulih.accounts.scoping import user_can
from pulih.audit.codes import AuthAction
from pulih.audit.services import audit_record
from pulih.core.errors import DomainError, NotAllowed

ISSUER = "Pulih"
RECOVERY_CODES = 10
STEP_SECONDS = 30


def second_factor_required(user: User) -> bool:
    return user.role in set(settings.PULIH_2FA_REQUIRED_ROLES)


def has_second_factor(user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").lower().encode()).hexdigest()


def _rotate_stamp(user: User) -> None:
    user.security_stamp = new_security_stamp()
    user.save(update_fields=["security_stamp"])


@transaction.atomic
def totp_begin_setup(*, user: User) -> tuple[TotpDevice, str]:
    """Start (or restart) enrolment; returns the device and its otpauth URI."""
    if has_second_factor(user):
        raise DomainError(_("A second factor is already active. Turn it off first."), code="exists")
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        device = TotpDevice.objects.create(user=user, secret=pyotp.random_base32())
    secret = device.secret
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)
    return device, uri


def _match_totp(device: TotpDevice, code: str, at: float | None = None) -> int | None:
    """The time step ``code`` belongs to (±1 step of clock drift), or None."""
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(device.secret)
    now = at if at is not None else time.time()
    current = int(now // STEP_SECONDS)
    for step in (current - 1, current, current + 1):
        if secrets.compare_digest(totp.at(step * STEP_SECONDS), code) and step > device.last_used_step:
            return step
    return None


@transaction.atomic
def totp_confirm(*, user: User, code: str, request: HttpRequest | None = None) -> list[str]:
    """Finish enrolment with a first valid code; returns the recovery codes (shown once)."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        raise DomainError(_("Start the set-up first."), code="no_device")
    step = _match_totp(device, code)
    if step is None:
        raise DomainError(
            _("That code is not right. Check the time on your phone and try again."),
            field="code",
            code="bad_code",
        )
    device.confirmed_at = timezone.now()
    device.last_used_step = step
    device.save()
    codes = recovery_codes_regenerate(user=user)
    _rotate_stamp(user)
    audit_record(action=AuthAction.SECOND_FACTOR_ENABLED, request=request, actor=user, obj=user)
    return codes


def recovery_codes_regenerate(*, user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_hash_code(c)) for c in codes])
    return codes


@transaction.atomic
def second_factor_verify(*, user: User, code: str, request: HttpRequest | None = None) -> bool:
    """Check a TOTP code or an unused recovery code; each is accepted once."""
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    step = _match_totp(device, code)
    if step is not None:
        device.last_used_step = step
        device.save(update_fields=["last_used_step"])
        return True
    recovery = RecoveryCode.objects.filter(
        user=user, code_hash=_hash_code(code), used_at__isnull=True
    ).first()
    if recovery is not None:
        recovery.used_at = timezone.now()
        recovery.save(update_fields=["used_at"])
        audit_record(action=AuthAction.RECOVERY_CODE_USED, request=request, actor=user, obj=user)
        return True
    audit_record(action=AuthAction.SECOND_FACTOR_FAILED, request=request, actor=user, obj=user)
    return False


@transaction.atomic
def second_factor_disable(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    if actor.pk != user.pk and not user_can(actor, Perm.USERS_MANAGE):
        raise NotAllowed(_("Only administrators can remove another person's second factor."))
    TotpDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    _rotate_stamp(user)
    audit_record(action=AuthAction.SECOND_FACTOR_DISABLED, request=request, actor=actor, obj=user)


@transaction.atomic
def sessions_end(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """End every session of ``user`` (administrators, or the user themself)."""
    if actor.pk != user.pk and not user_can(actor, Perm.USERS_MANAGE):
        raise NotAllowed(_("Only administrators can end another person's sessions."))
    _rotate_stamp(user)
    audit_record(action=AuthAction.SESSIONS_ENDED, request=request, actor=actor, obj=user)
