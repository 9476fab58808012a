from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from pulih.audit.models import AuditEvent
from pulih.core.errors import DomainError
from pulih.organisations.models import Unit, UnitStatus
from pulih.regions.models import Village
from pulih.testing.world import World
from pulih.units.audit_codes import UnitAction
from pulih.units.models import UnitStatusChange
from pulih.units.services import unit_change_status, unit_create, unit_update
from pulih.units.services.units import TRANSITIONS
from pulih.units.tests.factories import agents, bimtek

pytestmark = pytest.mark.django_db
MANGKOL = "19.04.02.2006"  # Bangka Tengah: in BNNK Pangkalpinang's work area
SUNGAILIAT = "19.01.01.1001"  # Kabupaten Bangka: outside it
D = dt.date


def _new(w: World, code: str = MANGKOL, **kw: object) -> Unit:
    kw.setdefault("proposed_on", D(2021, 12, 1))
    return unit_create(actor=w.pat, name="IBM Mangkol", village=Village.objects.get(code=code),
                       office=w.bnnk_pkp, **kw)  # type: ignore[arg-type]


def test_a_new_unit_starts_proposed_with_a_dated_attributed_history(world: World) -> None:
    unit = _new(world, reason="Hasil pemetaan")
    change = unit.status_changes.get()
    assert unit.status == UnitStatus.PROPOSED and unit.status_changed_at is not None
    assert (change.from_status, change.to_status, change.changed_by) == ("", "proposed", world.pat)
    assert change.reason == "Hasil pemetaan"
    assert AuditEvent.objects.filter(action=UnitAction.UNIT_CREATED, object_id=str(unit.pk)).exists()


def test_it_refuses_an_office_whose_work_area_does_not_contain_the_village(world: World) -> None:
    with pytest.raises(DomainError) as err:
        unit_create(actor=world.adam, name="IBM Sungailiat", village=Village.objects.get(code=SUNGAILIAT),
                    office=world.bnnk_pkp)
    assert err.value.field == "office" and err.value.code == "office_area"


def test_bnn_ri_covers_every_village(world: World) -> None:
    unit = unit_create(actor=world.adam, name="IBM Sungailiat", village=Village.objects.get(code=SUNGAILIAT),
                       office=world.bnn_ri)
    assert unit.office == world.bnn_ri


def test_a_supervisor_cannot_place_a_unit_outside_his_work_area(world: World) -> None:
    with pytest.raises(DomainError) as err:
        unit_create(actor=world.pat, name="IBM Sungailiat", village=Village.objects.get(code=SUNGAILIAT),
                    office=world.bnnp_babel)
    assert err.value.code == "out_of_area"


def test_a_supervisor_cannot_put_a_unit_under_another_office(world: World) -> None:
    with pytest.raises(DomainError) as err:
        unit_create(actor=world.pat, name="IBM Mangkol", village=Village.objects.get(code=MANGKOL),
                    office=world.bnnp_babel)
    assert err.value.code == "office_not_yours"


def test_agents_and_staff_without_the_permission_cannot_create_units(world: World) -> None:
    for user in (world.alice, world.carol, world.nina):
        with pytest.raises(PermissionDenied):
            _new(world.__class__(**{**world.__dict__, "pat": user}))


def test_a_village_has_at_most_one_unit_that_is_not_inactive(world: World) -> None:
    with pytest.raises(DomainError) as err:
        _new(world, code="19.04.02.2020")
    assert err.value.code == "village_has_unit" and err.value.status == 409


def test_the_database_itself_refuses_a_second_open_unit_in_a_village(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(name="Dobel", village=world.unit_air_mesu.village, office=world.bnnk_pkp)


def test_a_new_unit_may_follow_an_inactive_one(world: World) -> None:
    unit_change_status(actor=world.pat, unit=world.unit_air_mesu, to_status="inactive", reason="Bubar")
    unit = _new(world, code="19.04.02.2020")
    assert unit.status == "proposed"


def test_update_changes_particulars_and_rechecks_the_work_area(world: World) -> None:
    unit = _new(world)
    unit_update(actor=world.pat, unit=unit, name="IBM Mangkol Bersinar", village=unit.village,
                office=world.bnnk_pkp, decree_number="01/SK/2024", decree_date=D(2024, 1, 5))
    unit.refresh_from_db()
    assert unit.name == "IBM Mangkol Bersinar" and unit.decree_number == "01/SK/2024"
    with pytest.raises(DomainError):
        unit_update(actor=world.adam, unit=unit, name="x", village=Village.objects.get(code=SUNGAILIAT),
                    office=world.bnnk_pkp)


def test_the_inauguration_cannot_precede_the_decree_or_lie_in_the_future(world: World) -> None:
    with pytest.raises(DomainError) as err:
        _new(world, decree_date=D(2024, 2, 1), inaugurated_on=D(2024, 1, 1))
    assert err.value.field == "inaugurated_on"
    with pytest.raises(DomainError) as err:
        _new(world, decree_date=D(2999, 1, 1))
    assert err.value.code == "future_date"


def test_the_whole_workflow_with_each_transition_dated_attributed_and_reasoned(world: World) -> None:
    unit = _new(world, decree_number="02/SK/2022", decree_date=D(2022, 3, 1))
    unit_change_status(actor=world.pat, unit=unit, to_status="formed", reason="SK Kepala Desa",
                       changed_on=D(2022, 3, 1))
    bimtek(world.pat, unit, agents(world.pat, unit, 3))  # derives "trained"
    unit.refresh_from_db()
    assert unit.status == "trained"
    unit_change_status(actor=world.pat, unit=unit, to_status="active", reason="Diresmikan")
    unit_change_status(actor=world.pat, unit=unit, to_status="needs_support", reason="Agen pasif")
    unit_change_status(actor=world.pat, unit=unit, to_status="active", reason="Pulih kembali")
    unit_change_status(actor=world.pat, unit=unit, to_status="inactive", reason="Dibubarkan")
    history = list(unit.status_changes.order_by("id").values_list("from_status", "to_status"))
    assert history == [("", "proposed"), ("proposed", "formed"), ("formed", "trained"),
                       ("trained", "active"), ("active", "needs_support"), ("needs_support", "active"),
                       ("active", "inactive")]
    changes = UnitStatusChange.objects.filter(unit=unit)
    assert all(c.changed_by_id == world.pat.pk and c.reason for c in changes)


@pytest.mark.parametrize("start,target", [
    ("proposed", "active"), ("proposed", "trained"), ("formed", "active"), ("trained", "needs_support"),
    ("needs_support", "trained"), ("inactive", "active"), ("inactive", "proposed"), ("active", "formed"),
])
def test_it_refuses_a_transition_the_workflow_does_not_allow(world: World, start: str, target: str) -> None:
    unit = world.unit_air_mesu
    Unit.objects.filter(pk=unit.pk).update(status=start)
    unit.refresh_from_db()
    with pytest.raises(DomainError) as err:
        unit_change_status(actor=world.pat, unit=unit, to_status=target, reason="coba")
    assert err.value.code == "transition_not_allowed"
    assert target not in TRANSITIONS[start]


def test_formed_needs_the_decree(world: World) -> None:
    unit = _new(world)
    with pytest.raises(DomainError) as err:
        unit_change_status(actor=world.pat, unit=unit, to_status="formed", reason="SK")
    assert err.value.code == "decree_missing"


def test_trained_follows_the_configurable_rule(world: World, settings: object) -> None:
    unit = _new(world, decree_number="03/SK", decree_date=D(2022, 1, 1))
    unit_change_status(actor=world.pat, unit=unit, to_status="formed", reason="SK", changed_on=D(2022, 1, 2))
    people = agents(world.pat, unit, 4)
    bimtek(world.pat, unit, people, full=2)  # only two attended all three days
    unit.refresh_from_db()
    assert unit.status == "formed"
    with pytest.raises(DomainError) as err:
        unit_change_status(actor=world.pat, unit=unit, to_status="trained", reason="manual")
    assert err.value.code == "trained_rule"
    settings.PULIH_UNIT_TRAINED_MIN_AGENTS = 2  # type: ignore[attr-defined]
    change = unit_change_status(actor=world.pat, unit=unit, to_status="trained", reason="aturan 2 agen")
    assert change.to_status == "trained"


def test_a_status_change_needs_a_reason_and_a_date_not_before_the_last_one(world: World) -> None:
    unit = world.unit_air_mesu
    with pytest.raises(DomainError) as err:
        unit_change_status(actor=world.pat, unit=unit, to_status="needs_support", reason="  ")
    assert err.value.field == "reason"
    unit_change_status(actor=world.pat, unit=unit, to_status="needs_support", reason="a",
                       changed_on=D(2024, 5, 1))
    with pytest.raises(DomainError) as err:
        unit_change_status(actor=world.pat, unit=unit, to_status="active", reason="b",
                           changed_on=D(2024, 4, 1))
    assert err.value.field == "changed_on"


def test_only_supervisors_of_the_area_change_a_status(world: World) -> None:
    for user in (world.sam, world.carol, world.olga, world.bob):
        with pytest.raises(PermissionDenied):
            unit_change_status(actor=user, unit=world.unit_air_mesu, to_status="needs_support", reason="x")
    unit_change_status(actor=world.adam, unit=world.unit_air_mesu, to_status="needs_support", reason="x")
    world.unit_air_mesu.refresh_from_db()
    assert world.unit_air_mesu.status == "needs_support"


def test_a_unit_without_history_gets_its_first_entry_once_dated_and_by_someone_allowed(world: World) -> None:
    from pulih.units.services.units import unit_record_initial_status

    unit = Unit.objects.create(
        name="IBM Lama", village=Village.objects.get(code="19.04.02.2006"), office=world.bnnk_pkp,
        status=UnitStatus.ACTIVE,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        unit_record_initial_status(actor=world.alice, unit=unit, changed_on=dt.date(2022, 1, 3), reason="x")
    with pytest.raises(DomainError):
        unit_record_initial_status(
            actor=world.pat, unit=unit, changed_on=dt.date.today() + dt.timedelta(days=2), reason="x"
        )
    change = unit_record_initial_status(actor=world.pat, unit=unit, changed_on=dt.date(2022, 1, 3), reason="Lama")
    assert (change.from_status, change.to_status, change.changed_by) == ("", UnitStatus.ACTIVE, world.pat)
    assert AuditEvent.objects.filter(action=UnitAction.UNIT_STATUS_CHANGED, object_id=str(unit.pk)).exists()
    with pytest.raises(PermissionDenied):
        unit_record_initial_status(actor=world.pat, unit=unit, changed_on=dt.date(2022, 1, 4), reason="again")
    assert UnitStatusChange.objects.filter(unit=unit).count() == 1
