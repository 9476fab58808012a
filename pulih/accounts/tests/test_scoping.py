from __future__ import annotations

import pytest
from django.http import Http404

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import (
    ScopingRuleMissing,
    can_see_client_identity,
    get_scoped_or_404,
    rule_for,
    scope_for,
    scope_queryset,
    user_can,
)
from pulih.organisations.models import Unit
from pulih.regions.models import RegionDataVersion
from pulih.testing.world import World


@pytest.mark.django_db
def test_each_persona_gets_the_scope_of_its_place(world: World) -> None:
    assert scope_for(world.alice).level == "unit"
    assert scope_for(world.alice).unit_id == world.unit_kayu_aro.pk
    assert scope_for(world.sam).level == "area"
    assert "15.05" in scope_for(world.sam).regency_codes
    assert scope_for(world.pat).regency_codes == frozenset({"19.71", "19.04"})
    assert scope_for(world.olga).is_national
    assert scope_for(world.dina).is_national
    assert scope_for(world.adam).is_national


@pytest.mark.django_db
def test_units_are_narrowed_to_the_users_place(world: World) -> None:
    def visible(user: object) -> set[str]:
        return set(scope_queryset(user, Unit.objects.all(), Perm.UNITS_VIEW).values_list("name", flat=True))

    assert visible(world.alice) == {"IBM Bina Masyarakat"}
    assert visible(world.bob) == {"IBM Air Mesu Timur"}
    assert visible(world.sam) == {"IBM Bina Masyarakat"}
    assert visible(world.pat) == {"IBM Air Mesu Timur"}
    assert visible(world.nina) == {"IBM Air Mesu Timur"}
    assert visible(world.olga) == {"IBM Bina Masyarakat", "IBM Air Mesu Timur"}
    assert visible(world.mira) == set()  # partners see aggregates only


@pytest.mark.django_db
def test_an_object_outside_the_scope_looks_missing(world: World) -> None:
    with pytest.raises(Http404):
        get_scoped_or_404(world.alice, Unit.objects.all(), Perm.UNITS_VIEW, pk=world.unit_air_mesu.pk)
    assert get_scoped_or_404(world.bob, Unit.objects.all(), Perm.UNITS_VIEW, pk=world.unit_air_mesu.pk)


@pytest.mark.django_db
def test_a_disabled_user_sees_nothing(world: World) -> None:
    world.alice.is_active = False
    assert not user_can(world.alice, Perm.UNITS_VIEW)
    assert scope_for(world.alice).level == "none"


def test_a_model_without_a_rule_cannot_be_read() -> None:
    with pytest.raises(ScopingRuleMissing):
        rule_for(RegionDataVersion)


@pytest.mark.django_db
def test_no_role_outside_the_unit_sees_client_identity_by_default(world: World) -> None:
    unit = world.unit_kayu_aro.pk
    assert can_see_client_identity(world.alice, unit)
    assert can_see_client_identity(world.carol, unit)
    assert not can_see_client_identity(world.bob, unit)
    for outsider in (world.sam, world.olga, world.mira, world.dina, world.adam):
        assert not can_see_client_identity(outsider, unit)


@pytest.mark.django_db
def test_supervisors_see_identity_only_when_the_policy_allows(world: World, settings: object) -> None:
    settings.PULIH_SUPERVISOR_SEES_IDENTITY = True  # type: ignore[attr-defined]
    assert can_see_client_identity(world.sam, world.unit_kayu_aro.pk)
