"""Writes for offices. Units' own workflow lives in ``pulih.units``."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import require
from pulih.audit.codes import AdminAction
from pulih.audit.services import audit_record
from pulih.core.errors import DomainError
from pulih.organisations.models import Office, OfficeKind
from pulih.regions.models import Province, Regency


def _validate(
    *,
    kind: str,
    parent: Office | None,
    province: Province | None,
    regencies: list[Regency],
    instance: Office | None = None,
) -> list[Regency]:
    if kind == OfficeKind.RI:
        if parent is not None:
            raise DomainError(_("BNN RI has no parent office."), field="parent")
        return []
    if province is None:
        raise DomainError(_("Choose the province of this office."), field="province")
    if parent is None:
        raise DomainError(_("Choose the parent office."), field="parent")
    if instance is not None and parent.pk == instance.pk:
        raise DomainError(_("An office cannot be its own parent."), field="parent")
    if kind == OfficeKind.BNNP:
        if parent.kind != OfficeKind.RI:
            raise DomainError(_("The parent of a BNNP is BNN RI."), field="parent")
        # A BNNP covers its whole province.
        return list(Regency.objects.filter(province=province))
    if parent.kind != OfficeKind.BNNP or parent.province_id != province.code:
        raise DomainError(_("The parent of a BNNK is the BNNP of the same province."), field="parent")
    if not regencies:
        raise DomainError(_("Choose at least one regency/city for the work area."), field="work_area")
    outside = [r.full_name for r in regencies if r.province_id != province.code]
    if outside:
        raise DomainError(
            _("The work area must lie in the office's province: %(names)s") % {"names": ", ".join(outside)},
            field="work_area",
        )
    return regencies


@transaction.atomic
def office_create(
    *,
    actor: object,
    request: HttpRequest | None = None,
    name: str,
    kind: str,
    parent: Office | None = None,
    province: Province | None = None,
    seat: Regency | None = None,
    work_area: Iterable[Regency] = (),
    address: str = "",
    phone: str = "",
    letterhead: str = "",
) -> Office:
    require(actor, Perm.OFFICES_MANAGE)
    name = name.strip()
    if Office.objects.filter(name__iexact=name).exists():
        raise DomainError(_("An office with this name already exists."), field="name", code="duplicate")
    area = _validate(kind=kind, parent=parent, province=province, regencies=list(work_area))
    office = Office(
        name=name,
        kind=kind,
        parent=parent,
        province=province,
        seat=seat,
        address=address,
        phone=phone,
        letterhead=letterhead,
    )
    office.full_clean()
    office.save()
    office.work_area.set(area)
    audit_record(
        action=AdminAction.OFFICE_CREATED,
        request=request,
        actor=actor,
        obj=office,
        detail={"kind": kind, "work_area": sorted(r.code for r in area)},
    )
    return office


@transaction.atomic
def office_update(
    *,
    actor: object,
    request: HttpRequest | None = None,
    office: Office,
    name: str,
    parent: Office | None,
    province: Province | None,
    seat: Regency | None = None,
    work_area: Iterable[Regency] = (),
    address: str = "",
    phone: str = "",
    letterhead: str = "",
    is_active: bool = True,
) -> Office:
    require(actor, Perm.OFFICES_MANAGE)
    name = name.strip()
    if Office.objects.filter(name__iexact=name).exclude(pk=office.pk).exists():
        raise DomainError(_("An office with this name already exists."), field="name", code="duplicate")
    area = _validate(
        kind=office.kind, parent=parent, province=province, regencies=list(work_area), instance=office
    )
    office.name, office.parent, office.province, office.seat = name, parent, province, seat
    office.address, office.phone, office.letterhead = address, phone, letterhead
    office.is_active = is_active
    office.full_clean()
    office.save()
    office.work_area.set(area)
    audit_record(
        action=AdminAction.OFFICE_UPDATED,
        request=request,
        actor=actor,
        obj=office,
        detail={"work_area": sorted(r.code for r in area)},
    )
    return office
