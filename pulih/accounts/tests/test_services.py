from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from pulih.accounts.models import User
from pulih.accounts.services import token_authenticate, token_create, token_revoke, user_create, user_update
from pulih.audit.models import AuditEvent
from pulih.core.errors import DomainError
from pulih.testing.world import World


@pytest.mark.django_db
def test_an_administrator_creates_an_agent_bound_to_a_unit(world: World) -> None:
    user = user_create(
        actor=world.adam,
        username="agen.baru",
        full_name="Agen Baru",
        role="agent",
        password="sangat-rahasia-sekali",
        unit=world.unit_kayu_aro,
    )
    assert user.unit == world.unit_kayu_aro
    assert user.office == world.bnnp_jambi
    assert user.check_password("sangat-rahasia-sekali")
    assert AuditEvent.objects.filter(action=203, object_id=str(user.pk)).exists()


@pytest.mark.django_db
def test_only_administrators_manage_users(world: World) -> None:
    with pytest.raises(PermissionDenied):
        user_create(
            actor=world.sam,
            username="x",
            full_name="X",
            role="agent",
            password="sangat-rahasia-sekali",
            unit=world.unit_kayu_aro,
        )


@pytest.mark.django_db
def test_an_agent_must_belong_to_a_unit(world: World) -> None:
    with pytest.raises(DomainError) as err:
        user_create(
            actor=world.adam,
            username="x",
            full_name="X",
            role="agent",
            password="sangat-rahasia-sekali",
            office=world.bnnp_jambi,
        )
    assert err.value.field == "unit"


@pytest.mark.django_db
def test_usernames_are_unique_ignoring_case(world: World) -> None:
    with pytest.raises(DomainError) as err:
        user_create(
            actor=world.adam,
            username="ALICE",
            full_name="X",
            role="agent",
            password="sangat-rahasia-sekali",
            unit=world.unit_kayu_aro,
        )
    assert err.value.code == "duplicate"


@pytest.mark.django_db
def test_weak_passwords_are_refused_with_the_reason(world: World) -> None:
    with pytest.raises(DomainError) as err:
        user_create(actor=world.adam, username="y", full_name="Y", role="dpo", password="123", office=world.bnn_ri)
    assert err.value.field == "password"
    assert not User.objects.filter(username="y").exists()


@pytest.mark.django_db
def test_an_administrator_cannot_lock_themselves_out(world: World) -> None:
    with pytest.raises(DomainError):
        user_update(
            actor=world.adam,
            user=world.adam,
            full_name="A",
            role="admin",
            office=world.bnn_ri,
            unit=None,
            is_active=False,
        )


@pytest.mark.django_db
def test_disabling_an_account_is_audited(world: World) -> None:
    user_update(
        actor=world.adam,
        user=world.bob,
        full_name="Bob",
        role="agent",
        office=None,
        unit=world.unit_air_mesu,
        is_active=False,
    )
    world.bob.refresh_from_db()
    assert not world.bob.is_active
    event = AuditEvent.objects.filter(action=204).latest("id")
    assert "is_active" in event.detail["changed"]


@pytest.mark.django_db
def test_a_token_is_shown_once_stored_hashed_and_stops_working_when_revoked(world: World) -> None:
    token, raw = token_create(user=world.alice, name="HP Android")
    assert raw.startswith("pulih_")
    assert raw not in token.token_hash
    found = token_authenticate(raw)
    assert found is not None and found[0] == world.alice
    token_revoke(user=world.alice, token=token)
    assert token_authenticate(raw) is None


@pytest.mark.django_db
def test_nobody_revokes_another_persons_token(world: World) -> None:
    token, _ = token_create(user=world.alice, name="HP")
    with pytest.raises(DomainError):
        token_revoke(user=world.bob, token=token)


@pytest.mark.django_db
def test_a_disabled_users_token_stops_working(world: World) -> None:
    _, raw = token_create(user=world.alice, name="HP")
    world.alice.is_active = False
    world.alice.save()
    assert token_authenticate(raw) is None


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["supervisor", "office_staff", "partner", "dpo", "admin"])
def test_every_role_outside_a_unit_belongs_to_an_office(world: World, role: str) -> None:
    with pytest.raises(DomainError) as err:
        user_create(actor=world.adam, username=f"x-{role}", full_name="X", role=role,
                    password="sangat-rahasia-sekali")
    assert err.value.field == "office"
    # The database holds the same rule, whatever writes to it.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username=f"y-{role}", role=role)


@pytest.mark.django_db(transaction=True)
def test_the_migration_places_officeless_officers_in_the_national_office(world: World) -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = ("accounts", "0002_second_factor_and_security_stamp"), (
        "accounts", "0004_national_roles_office_constraint",
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps.get_model("accounts", "User")
    old.objects.create(username="dpo-lama", role="dpo", password="!")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([after])
    assert User.objects.get(username="dpo-lama").office == world.bnn_ri
