"""Writes for Desa Bersinar: the programme record, its status and evaluations.

Status moves forward only: proposed → designated (needs the decree) → active
(needs the launch date) → evaluated (by recording a dated evaluation; more
evaluations may follow).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.accounts.scoping import regency_in_scope, require
from pulih.audit.services import audit_record
from pulih.core.errors import DomainError, NotAllowed
from pulih.mapping.access import MappingPerm
from pulih.mapping.audit_codes import MappingAction
from pulih.mapping.models import BersinarEvaluation, BersinarStatus, BersinarVillage
from pulih.regions.models import Village

NEXT_STATUS = {
    BersinarStatus.PROPOSED: BersinarStatus.DESIGNATED,
    BersinarStatus.DESIGNATED: BersinarStatus.ACTIVE,
}


@dataclass
class BersinarData:
    decree_number: str = ""
    decree_date: date | None = None
    decree_signer: str = ""
    launched_on: date | None = None
    working_group: str = ""
    fund_dipa: bool = False
    fund_non_dipa: bool = False
    fund_apbdes: bool = False
    fund_csr: bool = False
    volunteers_count: int | None = None
    task_force_count: int | None = None
    comp_education: bool = False
    comp_campaign: bool = False
    comp_economic: bool = False
    comp_family: bool = False
    comp_peer: bool = False
    person_in_charge: str = ""
    source_note: str = ""


def _require_manager(actor: Any, village: Village) -> None:
    require(actor, MappingPerm.BERSINAR_MANAGE)
    if not regency_in_scope(actor, village.regency_id):
        raise NotAllowed(_("This village is outside your work area."), code="out_of_scope")


def _check(bersinar: BersinarVillage) -> None:
    if bersinar.status != BersinarStatus.PROPOSED and not (bersinar.decree_number and bersinar.decree_date):
        raise DomainError(
            _("A designated Desa Bersinar keeps its decree number and date."), field="decree_number"
        )
    if bersinar.decree_date and bersinar.launched_on and bersinar.launched_on < bersinar.decree_date:
        raise DomainError(_("The launch cannot be before the decree."), field="launched_on")


@transaction.atomic
def bersinar_create(
    *, actor: Any, request: HttpRequest | None = None, village: Village, data: BersinarData
) -> BersinarVillage:
    _require_manager(actor, village)
    if BersinarVillage.objects.filter(village=village).exists():
        raise DomainError(
            _("This village already has a Desa Bersinar record."), field="village", code="duplicate"
        )
    bersinar = BersinarVillage(village=village, status_changed_at=timezone.now(), **asdict(data))
    _check(bersinar)
    bersinar.full_clean()
    bersinar.save()
    audit_record(action=MappingAction.BERSINAR_CREATED, request=request, actor=actor, obj=bersinar)
    return bersinar


@transaction.atomic
def bersinar_update(
    *, actor: Any, request: HttpRequest | None = None, bersinar: BersinarVillage, data: BersinarData
) -> BersinarVillage:
    _require_manager(actor, bersinar.village)
    for key, value in asdict(data).items():
        setattr(bersinar, key, value)
    _check(bersinar)
    bersinar.full_clean()
    bersinar.save()
    audit_record(action=MappingAction.BERSINAR_UPDATED, request=request, actor=actor, obj=bersinar)
    return bersinar


@transaction.atomic
def bersinar_advance(
    *, actor: Any, request: HttpRequest | None = None, bersinar: BersinarVillage
) -> BersinarVillage:
    """Move to the next status, if its conditions are met."""
    _require_manager(actor, bersinar.village)
    target = NEXT_STATUS.get(BersinarStatus(bersinar.status))
    if target is None:
        raise DomainError(_("Record an evaluation to move this Desa Bersinar on."), code="invalid_transition")
    if target == BersinarStatus.DESIGNATED and not (bersinar.decree_number and bersinar.decree_date):
        raise DomainError(_("Enter the decree number and date first."), field="decree_number")
    if target == BersinarStatus.ACTIVE and not bersinar.launched_on:
        raise DomainError(_("Enter the launch date (pencanangan) first."), field="launched_on")
    before = bersinar.status
    bersinar.status = target
    bersinar.status_changed_at = timezone.now()
    bersinar.save(update_fields=["status", "status_changed_at", "updated_at"])
    audit_record(
        action=MappingAction.BERSINAR_STATUS_CHANGED,
        request=request,
        actor=actor,
        obj=bersinar,
        detail={"from": before, "to": target},
    )
    return bersinar


@transaction.atomic
def bersinar_evaluate(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    bersinar: BersinarVillage,
    evaluated_on: date,
    evaluator: str,
    summary: str,
) -> BersinarEvaluation:
    _require_manager(actor, bersinar.village)
    if bersinar.status not in (BersinarStatus.ACTIVE, BersinarStatus.EVALUATED):
        raise DomainError(_("Only an active Desa Bersinar can be evaluated."), code="invalid_transition")
    if evaluated_on > timezone.localdate():
        raise DomainError(_("The evaluation date cannot be in the future."), field="evaluated_on")
    if bersinar.launched_on and evaluated_on < bersinar.launched_on:
        raise DomainError(_("The evaluation cannot be before the launch."), field="evaluated_on")
    evaluation = BersinarEvaluation(
        bersinar=bersinar,
        evaluated_on=evaluated_on,
        evaluator=evaluator.strip(),
        summary=summary.strip(),
        created_by=actor,
    )
    evaluation.full_clean()
    evaluation.save()
    if bersinar.status != BersinarStatus.EVALUATED:
        bersinar.status = BersinarStatus.EVALUATED
        bersinar.status_changed_at = timezone.now()
        bersinar.save(update_fields=["status", "status_changed_at", "updated_at"])
    audit_record(
        action=MappingAction.BERSINAR_EVALUATED,
        request=request,
        actor=actor,
        obj=bersinar,
        detail={"evaluation": evaluation.pk, "evaluated_on": evaluated_on},
    )
    return evaluation
