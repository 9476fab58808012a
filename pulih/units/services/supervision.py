"""Stakeholders, supervision visits with follow-ups, yearly evaluations and work plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from pulih.audit.services import audit_record
from pulih.core.errors import DomainError
from pulih.organisations.models import Unit, UnitStatus
from pulih.units.audit_codes import UnitAction
from pulih.units.checklist import CHECKLIST_KEYS
from pulih.units.models import (
    Evaluation,
    FollowUp,
    InstitutionType,
    Stakeholder,
    Visit,
    WorkPlan,
)
from pulih.units.services._common import (
    clean_text,
    not_in_future,
    require_manage,
    require_roster,
    today,
)
from pulih.units.services.units import unit_change_status

FIRST_YEAR = 2015


# --- Stakeholders -------------------------------------------------------------


def _stakeholder_fields(unit: Unit, institution_type: str, institution: str, role: str,
                        since: dt.date | None, at_inauguration: bool) -> tuple[str, str, dt.date | None]:
    if institution_type not in InstitutionType.values:
        raise DomainError(_("Choose the type of institution."), field="institution_type")
    not_in_future(since, "since")
    if at_inauguration and since is None:
        since = unit.inaugurated_on
    return clean_text(institution, "institution"), clean_text(role, "role"), since


@transaction.atomic
def stakeholder_create(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    unit: Unit,
    institution_type: str,
    institution: str,
    role: str,
    contact_person: str = "",
    since: dt.date | None = None,
    at_inauguration: bool = False,
    notes: str = "",
    is_demo: bool = False,
) -> Stakeholder:
    """Record a stakeholder; one who attended the inauguration dates from it unless told otherwise."""
    require_roster(actor, unit)
    institution, role, since = _stakeholder_fields(unit, institution_type, institution, role, since,
                                                   at_inauguration)
    stakeholder = Stakeholder(
        unit=unit, institution_type=institution_type, institution=institution, role=role,
        contact_person=contact_person.strip(), since=since, at_inauguration=at_inauguration,
        notes=notes.strip(), is_demo=is_demo,
    )
    stakeholder.full_clean()
    stakeholder.save()
    audit_record(action=UnitAction.STAKEHOLDER_CREATED, request=request, actor=actor, obj=stakeholder,
                 detail={"unit": unit.pk, "type": institution_type})
    return stakeholder


@transaction.atomic
def stakeholder_update(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    stakeholder: Stakeholder,
    institution_type: str,
    institution: str,
    role: str,
    contact_person: str = "",
    since: dt.date | None = None,
    at_inauguration: bool = False,
    notes: str = "",
) -> Stakeholder:
    require_roster(actor, stakeholder.unit)
    institution, role, since = _stakeholder_fields(stakeholder.unit, institution_type, institution,
                                                   role, since, at_inauguration)
    stakeholder.institution_type, stakeholder.institution, stakeholder.role = (
        institution_type, institution, role)
    stakeholder.contact_person, stakeholder.since = contact_person.strip(), since
    stakeholder.at_inauguration, stakeholder.notes = at_inauguration, notes.strip()
    stakeholder.full_clean()
    stakeholder.save()
    audit_record(action=UnitAction.STAKEHOLDER_UPDATED, request=request, actor=actor, obj=stakeholder)
    return stakeholder


# --- Visits and follow-ups ----------------------------------------------------


def _check_due(due_on: dt.date, visited_on: dt.date) -> None:
    if due_on < visited_on:
        raise DomainError(_("The due date cannot be before the visit."), field="follow_ups",
                          code="dates_order")


@transaction.atomic
def visit_create(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    unit: Unit,
    visited_on: dt.date,
    findings: str,
    checklist: Mapping[str, bool] | None = None,
    follow_ups: Iterable[tuple[str, dt.date]] = (),
    flag_needs_support: bool = False,
) -> Visit:
    """Record a supervision visit; flagging it moves an active unit to *needs support*."""
    require_manage(actor, unit)
    not_in_future(visited_on, "visited_on")
    findings = clean_text(findings, "findings")
    checklist = dict(checklist or {})
    unknown = sorted(set(checklist) - set(CHECKLIST_KEYS))
    if unknown:
        raise DomainError(_("Unknown checklist item: %(k)s") % {"k": ", ".join(unknown)},
                          field="checklist")
    if flag_needs_support and unit.status not in (UnitStatus.ACTIVE, UnitStatus.NEEDS_SUPPORT):
        raise DomainError(_("Only an active unit can be flagged as needing support."),
                          field="flag_needs_support", code="transition_not_allowed")
    actions = [(clean_text(a, "follow_ups"), due) for a, due in follow_ups]
    for _action, due in actions:
        _check_due(due, visited_on)
    visit = Visit.objects.create(
        unit=unit, office=actor.office if actor.office_id else unit.office, visited_on=visited_on,
        visited_by=actor, checklist={k: bool(checklist.get(k, False)) for k in CHECKLIST_KEYS},
        findings=findings, flagged_needs_support=flag_needs_support,
    )
    FollowUp.objects.bulk_create([FollowUp(visit=visit, action=a, due_on=due) for a, due in actions])
    audit_record(action=UnitAction.VISIT_CREATED, request=request, actor=actor, obj=visit,
                 detail={"unit": unit.pk, "flagged": flag_needs_support, "follow_ups": len(actions)})
    if flag_needs_support and unit.status == UnitStatus.ACTIVE:
        unit_change_status(actor=actor, request=request, unit=unit, to_status=UnitStatus.NEEDS_SUPPORT,
                           reason=_("Flagged at the supervision visit of %(date)s: %(findings)s")
                           % {"date": visited_on, "findings": findings},
                           changed_on=visited_on, visit=visit)
    return visit


@transaction.atomic
def followup_add(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    visit: Visit,
    action: str,
    due_on: dt.date,
) -> FollowUp:
    require_manage(actor, visit.unit)
    _check_due(due_on, visit.visited_on)
    follow_up = FollowUp.objects.create(visit=visit, action=clean_text(action, "action"), due_on=due_on)
    audit_record(action=UnitAction.FOLLOWUP_ADDED, request=request, actor=actor, obj=follow_up)
    return follow_up


@transaction.atomic
def followup_complete(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    follow_up: FollowUp,
    completed_on: dt.date | None = None,
    note: str = "",
) -> FollowUp:
    """Mark a follow-up done: supervising staff or the unit's coordinator."""
    require_roster(actor, follow_up.visit.unit)
    if follow_up.completed_on is not None:
        raise DomainError(_("This follow-up is already completed."), code="already_done")
    completed_on = completed_on or today()
    not_in_future(completed_on, "completed_on")
    if completed_on < follow_up.visit.visited_on:
        raise DomainError(_("The completion cannot be before the visit."), field="completed_on",
                          code="dates_order")
    follow_up.completed_on, follow_up.completed_by = completed_on, actor
    follow_up.completion_note = note.strip()[:300]
    follow_up.save(update_fields=["completed_on", "completed_by", "completion_note"])
    audit_record(action=UnitAction.FOLLOWUP_COMPLETED, request=request, actor=actor, obj=follow_up)
    return follow_up


# --- Evaluations and work plans -----------------------------------------------


def _check_year(year: int, *, ahead: int = 0) -> None:
    last = today().year + ahead
    if not FIRST_YEAR <= year <= last:
        raise DomainError(_("The year must be between %(a)d and %(b)d.") % {"a": FIRST_YEAR, "b": last},
                          field="year", code="year_range")


@transaction.atomic
def evaluation_save(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    unit: Unit,
    year: int,
    score: int,
    narrative: str,
    evaluated_on: dt.date | None = None,
) -> Evaluation:
    """Record (or correct) the one evaluation of ``unit`` for ``year``."""
    require_manage(actor, unit)
    _check_year(year)
    if not 0 <= score <= 100:
        raise DomainError(_("The score must be between 0 and 100."), field="score", code="score_range")
    evaluated_on = evaluated_on or today()
    not_in_future(evaluated_on, "evaluated_on")
    evaluation, created = Evaluation.objects.update_or_create(
        unit=unit, year=year,
        defaults={"score": score, "narrative": clean_text(narrative, "narrative"),
                  "evaluated_on": evaluated_on, "evaluated_by": actor},
    )
    audit_record(action=UnitAction.EVALUATION_SAVED, request=request, actor=actor, obj=evaluation,
                 detail={"year": year, "score": score, "created": created})
    return evaluation


@transaction.atomic
def workplan_save(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    unit: Unit,
    year: int,
    targets: Mapping[str, int],
    notes: str = "",
    is_demo: bool = False,
) -> WorkPlan:
    """Set the yearly targets of ``unit`` (one plan per year; saving again corrects it)."""
    require_roster(actor, unit)
    _check_year(year, ahead=1)
    unknown = sorted(set(targets) - set(WorkPlan.TARGET_FIELDS))
    if unknown:
        raise DomainError(_("Unknown target: %(t)s") % {"t": ", ".join(unknown)}, field="targets")
    values = {f: int(targets.get(f, 0)) for f in WorkPlan.TARGET_FIELDS}
    negative = [f for f, v in values.items() if v < 0]
    if negative:
        raise DomainError(_("A target cannot be negative."), field=negative[0], code="negative")
    plan, created = WorkPlan.objects.update_or_create(
        unit=unit, year=year,
        defaults={**values, "notes": notes.strip(), "updated_by": actor, "is_demo": is_demo},
    )
    audit_record(action=UnitAction.WORKPLAN_SAVED, request=request, actor=actor, obj=plan,
                 detail={"year": year, "created": created, **values})
    return plan
