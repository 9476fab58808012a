from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest
from django.test import Client

from pulih.accounts.models import TotpDevice
from pulih.accounts.twofactor import (
    second_factor_disable,
    second_factor_verify,
    sessions_end,
    totp_begin_setup,
    totp_confirm,
)
from pulih.audit.models import AuditEvent
from pulih.core.errors import DomainError, NotAllowed
from pulih.testing.world import PASSWORD, World


def _code(device: TotpDevice, offset_steps: int = 0) -> str:
    return pyotp.TOTP(device.secret).at(time.time() + offset_steps * 30)


def _enrol(user: Any) -> tuple[TotpDevice, list[str]]:
    device, _ = totp_begin_setup(user=user)
    codes = totp_confirm(user=user, code=_code(device))
    device.refresh_from_db()
    return device, codes


@pytest.mark.django_db
def test_enrolment_needs_a_valid_code_and_gives_ten_recovery_codes(world: World) -> None:
    device, _ = totp_begin_setup(user=world.sam)
    with pytest.raises(DomainError):
        totp_confirm(user=world.sam, code="000000")
    codes = totp_confirm(user=world.sam, code=_code(device))
    assert len(codes) == 10
    assert AuditEvent.objects.filter(action=106, object_id=str(world.sam.pk)).exists()


@pytest.mark.django_db
def test_the_secret_is_encrypted_at_rest(world: World) -> None:
    device, _ = totp_begin_setup(user=world.sam)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT secret FROM accounts_totpdevice WHERE id = %s", [device.pk])
        stored = cur.fetchone()[0]
    assert device.secret not in stored


@pytest.mark.django_db
def test_a_code_is_accepted_once_and_recovery_codes_once(world: World) -> None:
    device, codes = _enrol(world.sam)
    code = _code(device, 1)
    assert second_factor_verify(user=world.sam, code=code)
    assert not second_factor_verify(user=world.sam, code=code)
    assert second_factor_verify(user=world.sam, code=codes[0])
    assert not second_factor_verify(user=world.sam, code=codes[0])
    assert AuditEvent.objects.filter(action=108).exists()


@pytest.mark.django_db
def test_signing_in_with_a_second_factor_takes_two_steps(world: World, client: Client) -> None:
    device, _ = _enrol(world.sam)
    response = client.post("/accounts/login/", {"username": "sam", "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/verify/"
    assert client.get("/").status_code == 302  # not signed in yet
    wrong = client.post("/accounts/2fa/verify/", {"code": "123456"})
    assert "tidak benar" in wrong.content.decode() or wrong.status_code == 200
    response = client.post("/accounts/2fa/verify/", {"code": _code(device, 1)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_role_that_requires_a_second_factor_is_sent_to_set_it_up(
    world: World, as_user: Any, settings: Any
) -> None:
    settings.PULIH_2FA_REQUIRED_ROLES = ["supervisor"]
    client = as_user(world.sam)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/setup/"
    assert client.get("/api/v1/accounts/me").status_code == 403
    assert as_user(world.alice).get("/").status_code == 200  # agents are not required


@pytest.mark.django_db
def test_changing_the_second_factor_ends_other_sessions(world: World, as_user: Any) -> None:
    other_device = as_user(world.sam)
    assert other_device.get("/").status_code == 200
    _enrol(world.sam)
    assert other_device.get("/").status_code == 302


@pytest.mark.django_db
def test_a_password_change_ends_sessions(world: World, as_user: Any) -> None:
    client = as_user(world.alice)
    world.alice.set_password("a-brand-new-password")
    world.alice.save()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_disabling_an_account_ends_its_sessions(world: World, as_user: Any) -> None:
    from pulih.accounts.services import user_update

    client = as_user(world.bob)
    user_update(
        actor=world.adam,
        user=world.bob,
        full_name="Bob",
        role="agent",
        office=None,
        unit=world.unit_air_mesu,
        is_active=False,
    )
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_an_administrator_ends_a_users_sessions(world: World, as_user: Any) -> None:
    victim = as_user(world.alice)
    response = as_user(world.adam).post(f"/accounts/users/{world.alice.pk}/end-sessions/")
    assert response.status_code == 302
    assert victim.get("/").status_code == 302
    assert AuditEvent.objects.filter(action=110, object_id=str(world.alice.pk)).exists()


@pytest.mark.django_db
def test_only_administrators_end_other_peoples_sessions_or_factors(world: World) -> None:
    with pytest.raises(NotAllowed):
        sessions_end(actor=world.sam, user=world.alice)
    with pytest.raises(NotAllowed):
        second_factor_disable(actor=world.sam, user=world.alice)
