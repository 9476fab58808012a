from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from pulih.audit.models import AuditEvent
from pulih.core.errors import DomainError
from pulih.organisations.models import Unit, UnitStatus
from pulih.organisations.services import office_create, office_update
from pulih.regions.models import Province, Regency, Village
from pulih.testing.world import World


@pytest.mark.django_db
def test_a_bnnp_covers_its_whole_province(world: World) -> None:
    office = office_create(actor=world.adam, name="BNNP Uji", kind="bnnp", parent=world.bnn_ri,
                           province=Province.objects.get(code="19"))
    assert set(office.work_area.values_list("code", flat=True)) == set(
        Regency.objects.filter(province_id="19").values_list("code", flat=True)
    )
    assert AuditEvent.objects.filter(action=201, object_id=str(office.pk)).exists()


@pytest.mark.django_db
def test_a_bnnk_work_area_may_span_several_regencies_of_its_province(world: World) -> None:
    office = office_create(
        actor=world.adam, name="BNNK Uji", kind="bnnk", parent=world.bnnp_babel,
        province=Province.objects.get(code="19"),
        work_area=Regency.objects.filter(code__in=["19.01", "19.04"]),
    )
    assert sorted(office.work_area.values_list("code", flat=True)) == ["19.01", "19.04"]


@pytest.mark.django_db
def test_a_bnnk_work_area_outside_its_province_is_refused_by_name(world: World) -> None:
    with pytest.raises(DomainError) as err:
        office_create(
            actor=world.adam, name="BNNK Salah", kind="bnnk", parent=world.bnnp_babel,
            province=Province.objects.get(code="19"),
            work_area=Regency.objects.filter(code__in=["19.04", "15.05"]),
        )
    assert err.value.field == "work_area"
    assert "Muaro Jambi" in err.value.message


@pytest.mark.django_db
def test_a_bnnk_hangs_under_the_bnnp_of_its_province(world: World) -> None:
    with pytest.raises(DomainError) as err:
        office_create(actor=world.adam, name="BNNK Salah", kind="bnnk", parent=world.bnnp_jambi,
                      province=Province.objects.get(code="19"), work_area=Regency.objects.filter(code="19.04"))
    assert err.value.field == "parent"


@pytest.mark.django_db
def test_office_names_are_unique(world: World) -> None:
    with pytest.raises(DomainError):
        office_create(actor=world.adam, name="bnnp jambi", kind="bnnp", parent=world.bnn_ri,
                      province=Province.objects.get(code="15"))


@pytest.mark.django_db
def test_only_administrators_manage_offices(world: World) -> None:
    with pytest.raises(PermissionDenied):
        office_create(actor=world.olga, name="X", kind="bnnp", parent=world.bnn_ri,
                      province=Province.objects.get(code="15"))


@pytest.mark.django_db
def test_editing_an_office_changes_its_work_area(world: World) -> None:
    office_update(actor=world.adam, office=world.bnnk_pkp, name="BNNK Kota Pangkalpinang",
                  parent=world.bnnp_babel, province=world.bnnk_pkp.province,
                  work_area=Regency.objects.filter(code="19.71"))
    assert list(world.bnnk_pkp.work_area.values_list("code", flat=True)) == ["19.71"]


@pytest.mark.django_db
def test_the_database_allows_one_open_unit_per_village(world: World) -> None:
    village = Village.objects.get(code="15.05.02.2003")
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(name="Dua", village=village, office=world.bnnp_jambi)
    Unit.objects.filter(pk=world.unit_kayu_aro.pk).update(status=UnitStatus.INACTIVE)
    Unit.objects.create(name="Pengganti", village=village, office=world.bnnp_jambi)


@pytest.mark.django_db
def test_the_office_pages_work_for_an_administrator(world: World, as_user: Any) -> None:
    client = as_user(world.adam)
    assert "BNNK Kota Pangkalpinang" in client.get("/offices/").content.decode()
    response = client.post("/offices/new/", {"name": "", "kind": "bnnk"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error"' in page
    assert "This field is required" not in page  # the message is in Indonesian
    response = client.post(
        "/offices/new/",
        {"name": "BNNK Bangka", "kind": "bnnk", "parent": world.bnnp_babel.pk, "province": "19",
         "work_area": ["19.01"]},
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Kabupaten Bangka" in detail
