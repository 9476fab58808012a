from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from pulih.core.errors import DomainError
from pulih.testing.world import World
from pulih.units.selectors import workplan_targets
from pulih.units.services import (
    evaluation_save,
    followup_add,
    followup_complete,
    stakeholder_create,
    stakeholder_update,
    unit_change_status,
    visit_create,
    workplan_save,
)

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_stakeholder_at_the_inauguration_dates_from_it(world: World) -> None:
    unit = world.unit_kayu_aro
    unit.inaugurated_on = D(2021, 4, 12)
    unit.save()
    s = stakeholder_create(actor=world.carol, unit=unit, institution_type="district",
                           institution="Kecamatan Sekernan", role="Camat", at_inauguration=True)
    assert s.since == D(2021, 4, 12)
    later = stakeholder_create(actor=world.sam, unit=unit, institution_type="puskesmas",
                               institution="Puskesmas Sekernan", role="Kepala Puskesmas",
                               since=D(2023, 1, 1))
    stakeholder_update(actor=world.sam, stakeholder=later, institution_type="puskesmas",
                       institution="Puskesmas Sekernan", role="Dokter", contact_person="dr. A")
    later.refresh_from_db()
    assert later.role == "Dokter" and later.since is None and not later.at_inauguration


def test_stakeholders_need_a_known_type_and_a_writer_of_the_unit(world: World) -> None:
    with pytest.raises(DomainError) as err:
        stakeholder_create(actor=world.carol, unit=world.unit_kayu_aro, institution_type="mafia",
                           institution="x", role="y")
    assert err.value.field == "institution_type"
    for user in (world.alice, world.bob, world.olga):
        with pytest.raises(PermissionDenied):
            stakeholder_create(actor=user, unit=world.unit_kayu_aro, institution_type="ngo",
                               institution="x", role="y")


def test_a_visit_records_checklist_findings_and_follow_ups(world: World) -> None:
    visit = visit_create(actor=world.pat, unit=world.unit_air_mesu, visited_on=D(2024, 6, 1),
                         findings="Pencatatan baik", checklist={"mapping_done": True},
                         follow_ups=[("Lengkapi laporan bulanan", D(2024, 7, 1))])
    assert visit.checklist["mapping_done"] and not visit.checklist["monthly_report"]
    assert visit.office == world.bnnk_pkp and visit.follow_ups.count() == 1
    world.unit_air_mesu.refresh_from_db()
    assert world.unit_air_mesu.status == "active"


def test_a_visit_can_flag_an_active_unit_as_needing_support(world: World) -> None:
    visit = visit_create(actor=world.pat, unit=world.unit_air_mesu, visited_on=D(2024, 6, 1),
                         findings="Agen tidak aktif", flag_needs_support=True)
    unit = world.unit_air_mesu
    unit.refresh_from_db()
    change = unit.status_changes.get()
    assert unit.status == "needs_support"
    assert (change.visit, change.changed_on, change.changed_by) == (visit, D(2024, 6, 1), world.pat)
    assert "Agen tidak aktif" in change.reason


def test_only_an_active_unit_can_be_flagged(world: World) -> None:
    unit_change_status(actor=world.pat, unit=world.unit_air_mesu, to_status="inactive", reason="x")
    world.unit_air_mesu.refresh_from_db()
    with pytest.raises(DomainError) as err:
        visit_create(actor=world.pat, unit=world.unit_air_mesu, visited_on=D(2024, 6, 1), findings="x",
                     flag_needs_support=True)
    assert err.value.field == "flag_needs_support"


def test_visit_rules(world: World) -> None:
    unit = world.unit_air_mesu
    with pytest.raises(DomainError):
        visit_create(actor=world.pat, unit=unit, visited_on=D(2024, 6, 1), findings="x",
                     checklist={"nonsense": True})
    with pytest.raises(DomainError):
        visit_create(actor=world.pat, unit=unit, visited_on=D(2024, 6, 1), findings="x",
                     follow_ups=[("a", D(2024, 5, 1))])
    with pytest.raises(PermissionDenied):
        visit_create(actor=world.bob, unit=unit, visited_on=D(2024, 6, 1), findings="x")


def test_follow_ups_are_added_and_completed_once(world: World) -> None:
    visit = visit_create(actor=world.sam, unit=world.unit_kayu_aro, visited_on=D(2024, 6, 1), findings="x")
    follow_up = followup_add(actor=world.sam, visit=visit, action="Rapat koordinasi", due_on=D(2024, 6, 20))
    assert follow_up.is_overdue(D(2024, 7, 1)) and not follow_up.is_done
    with pytest.raises(DomainError):
        followup_complete(actor=world.carol, follow_up=follow_up, completed_on=D(2024, 5, 1))
    followup_complete(actor=world.carol, follow_up=follow_up, completed_on=D(2024, 6, 15), note="Selesai")
    assert follow_up.is_done and not follow_up.is_overdue(D(2024, 7, 1))
    with pytest.raises(DomainError):
        followup_complete(actor=world.carol, follow_up=follow_up)
    with pytest.raises(PermissionDenied):
        followup_add(actor=world.carol, visit=visit, action="x", due_on=D(2024, 6, 20))


def test_one_evaluation_per_unit_and_year_saving_again_corrects_it(world: World) -> None:
    first = evaluation_save(actor=world.sam, unit=world.unit_kayu_aro, year=2023, score=70, narrative="Cukup")
    again = evaluation_save(actor=world.sam, unit=world.unit_kayu_aro, year=2023, score=80, narrative="Baik")
    assert first.pk == again.pk and again.score == 80
    with pytest.raises(DomainError) as err:
        evaluation_save(actor=world.sam, unit=world.unit_kayu_aro, year=2023, score=101, narrative="x")
    assert err.value.field == "score"
    with pytest.raises(DomainError) as err:
        evaluation_save(actor=world.sam, unit=world.unit_kayu_aro, year=2010, score=1, narrative="x")
    assert err.value.field == "year"
    with pytest.raises(PermissionDenied):
        evaluation_save(actor=world.carol, unit=world.unit_kayu_aro, year=2023, score=1, narrative="x")


def test_the_work_plan_gives_reports_typed_targets(world: World) -> None:
    unit = world.unit_kayu_aro
    assert workplan_targets(unit=unit, year=2024)["has_plan"] is False
    workplan_save(actor=world.carol, unit=unit, year=2024,
                  targets={"clients_screened": 40, "clients_served": 12, "referrals": 4,
                           "community_activities": 10, "participants_reached": 300})
    workplan_save(actor=world.sam, unit=unit, year=2024, targets={"clients_screened": 50})
    targets = workplan_targets(unit=unit, year=2024)
    assert targets == {"unit_id": unit.pk, "year": 2024, "has_plan": True, "clients_screened": 50,
                       "clients_served": 0, "referrals": 0, "community_activities": 0,
                       "participants_reached": 0}
    with pytest.raises(DomainError):
        workplan_save(actor=world.carol, unit=unit, year=2024, targets={"clients_screened": -1})
    with pytest.raises(DomainError):
        workplan_save(actor=world.carol, unit=unit, year=2024, targets={"arrests": 3})
    with pytest.raises(PermissionDenied):
        workplan_save(actor=world.alice, unit=unit, year=2024, targets={})
