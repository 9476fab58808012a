"""Creating units and moving them through their status workflow.

proposed → formed → trained → active ⇄ needs support, and any of them →
inactive. Each transition is a :class:`UnitStatusChange` (date, who, why);
``Unit.status`` and ``Unit.status_changed_at`` are changed only here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.accounts.roles import Perm, Role
from pulih.accounts.scoping import regency_in_scope, require
from pulih.audit.services import audit_record
from pulih.core.errors import ConflictError, DomainError
from pulih.organisations.models import Office, Unit, UnitStatus
from pulih.regions.models import Village
from pulih.units.audit_codes import UnitAction
from pulih.units.models import UnitStatusChange, Visit
from pulih.units.selectors import trained_min_agents, unit_trained_agents
from pulih.units.services._common import (
    clean_text,
    not_in_future,
    office_covers,
    require_manage,
    today,
)

S = UnitStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.FORMED, S.INACTIVE}),
    S.FORMED: frozenset({S.TRAINED, S.INACTIVE}),
    S.TRAINED: frozenset({S.ACTIVE, S.INACTIVE}),
    S.ACTIVE: frozenset({S.NEEDS_SUPPORT, S.INACTIVE}),
    S.NEEDS_SUPPORT: frozenset({S.ACTIVE, S.INACTIVE}),
    S.INACTIVE: frozenset(),
}


def allowed_transitions(unit: Unit) -> list[str]:
    return [s for s in S.values if s in TRANSITIONS[unit.status]]


def _validate_placement(*, actor: Any, village: Village, office: Office, unit: Unit | None) -> None:
    if not regency_in_scope(actor, village.regency_id):
        raise DomainError(_("This village lies outside your work area."), field="village",
                          code="out_of_area")
    if not office_covers(office, village):
        raise DomainError(
            _("%(office)s does not supervise %(regency)s: choose an office whose work area "
              "contains the village.") % {"office": office.name, "regency": village.regency.full_name},
            field="office", code="office_area",
        )
    if actor.role == Role.SUPERVISOR and office.pk != actor.office_id and office.parent_id != actor.office_id:
        raise DomainError(_("Choose your own office or an office under it."), field="office",
                          code="office_not_yours")
    open_units = Unit.objects.filter(village=village).exclude(status=S.INACTIVE)
    if unit is not None:
        open_units = open_units.exclude(pk=unit.pk)
    existing = open_units.first()
    if existing is not None:
        raise ConflictError(
            _("%(village)s already has an IBM unit that is not inactive: %(unit)s.")
            % {"village": village.name, "unit": existing.name},
            field="village", code="village_has_unit",
        )


def _validate_dates(decree_date: dt.date | None, inaugurated_on: dt.date | None) -> None:
    not_in_future(decree_date, "decree_date")
    not_in_future(inaugurated_on, "inaugurated_on")
    if decree_date and inaugurated_on and inaugurated_on < decree_date:
        raise DomainError(_("The inauguration cannot be before the formation decree."),
                          field="inaugurated_on", code="dates_order")


def _save(unit: Unit) -> None:
    unit.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as exc:  # a concurrent write won the race for the village
        raise ConflictError(_("This village already has an IBM unit that is not inactive."),
                            field="village", code="village_has_unit") from exc


@transaction.atomic
def unit_create(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    name: str,
    village: Village,
    office: Office,
    decree_number: str = "",
    decree_date: dt.date | None = None,
    decree_signer: str = "",
    inaugurated_on: dt.date | None = None,
    funding_source: str = "",
    notes: str = "",
    reason: str = "",
    proposed_on: dt.date | None = None,
) -> Unit:
    """Record a new unit; it starts as *proposed* (on ``proposed_on``, default today), with that
    first entry in its history."""
    require(actor, Perm.UNITS_MANAGE)
    name = clean_text(name, "name")
    _validate_placement(actor=actor, village=village, office=office, unit=None)
    _validate_dates(decree_date, inaugurated_on)
    proposed_on = proposed_on or today()
    not_in_future(proposed_on, "proposed_on")
    now = timezone.now()
    unit = Unit(
        name=name, village=village, office=office, status=S.PROPOSED, status_changed_at=now,
        decree_number=decree_number.strip(), decree_date=decree_date,
        decree_signer=decree_signer.strip(), inaugurated_on=inaugurated_on,
        funding_source=funding_source.strip(), notes=notes.strip(),
    )
    _save(unit)
    UnitStatusChange.objects.create(
        unit=unit, from_status="", to_status=S.PROPOSED, changed_on=proposed_on,
        reason=reason.strip() or _("Unit proposed."), changed_by=actor,
    )
    audit_record(action=UnitAction.UNIT_CREATED, request=request, actor=actor, obj=unit,
                 detail={"village": village.pk, "office": office.pk})
    return unit


@transaction.atomic
def unit_update(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    unit: Unit,
    name: str,
    village: Village,
    office: Office,
    decree_number: str = "",
    decree_date: dt.date | None = None,
    decree_signer: str = "",
    inaugurated_on: dt.date | None = None,
    funding_source: str = "",
    notes: str = "",
) -> Unit:
    """Change a unit's particulars. The status changes only through :func:`unit_change_status`."""
    require_manage(actor, unit)
    name = clean_text(name, "name")
    _validate_placement(actor=actor, village=village, office=office, unit=unit)
    _validate_dates(decree_date, inaugurated_on)
    before = {f: getattr(unit, f) for f in ("name", "village_id", "office_id", "decree_number",
                                             "decree_date", "decree_signer", "inaugurated_on",
                                             "funding_source", "notes")}
    unit.name, unit.village, unit.office = name, village, office
    unit.decree_number, unit.decree_date = decree_number.strip(), decree_date
    unit.decree_signer, unit.inaugurated_on = decree_signer.strip(), inaugurated_on
    unit.funding_source, unit.notes = funding_source.strip(), notes.strip()
    _save(unit)
    changed = sorted(f for f, v in before.items() if getattr(unit, f) != v)
    audit_record(action=UnitAction.UNIT_UPDATED, request=request, actor=actor, obj=unit,
                 detail={"changed": changed})
    return unit


def _check_transition(unit: Unit, to_status: str, changed_on: dt.date) -> None:
    if to_status not in S.values:
        raise DomainError(_("Unknown status."), field="to_status")
    if to_status == unit.status:
        raise DomainError(_("The unit already has this status."), field="to_status", code="same_status")
    if to_status not in TRANSITIONS[unit.status]:
        raise DomainError(
            _("A unit that is “%(from)s” cannot become “%(to)s”.")
            % {"from": S(unit.status).label, "to": S(to_status).label},
            field="to_status", code="transition_not_allowed",
        )
    if to_status == S.FORMED and not (unit.decree_number and unit.decree_date):
        raise DomainError(
            _("Record the formation decree (number and date) before marking the unit as formed."),
            field="to_status", code="decree_missing",
        )
    if to_status == S.TRAINED:
        done, needed = len(unit_trained_agents(unit=unit)), trained_min_agents()
        if done < needed:
            raise DomainError(
                _("Only %(done)d active agents have completed a bimtek; at least %(needed)d are "
                  "needed before the unit counts as trained.") % {"done": done, "needed": needed},
                field="to_status", code="trained_rule",
            )
    not_in_future(changed_on, "changed_on")
    last = unit.status_changes.order_by("-changed_on").values_list("changed_on", flat=True).first()
    if last is not None and changed_on < last:
        raise DomainError(
            _("The date cannot be before the previous status change (%(date)s).") % {"date": last},
            field="changed_on", code="dates_order",
        )


@transaction.atomic
def unit_change_status(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    unit: Unit,
    to_status: str,
    reason: str,
    changed_on: dt.date | None = None,
    visit: Visit | None = None,
) -> UnitStatusChange:
    """Move a unit along its workflow, recording when, by whom and why."""
    require_manage(actor, unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    reason = clean_text(reason, "reason")
    changed_on = changed_on or today()
    _check_transition(unit, to_status, changed_on)
    change = UnitStatusChange.objects.create(
        unit=unit, from_status=unit.status, to_status=to_status, changed_on=changed_on,
        reason=reason, changed_by=actor, visit=visit,
    )
    Unit.objects.filter(pk=unit.pk).update(status=to_status, status_changed_at=timezone.now())
    audit_record(action=UnitAction.UNIT_STATUS_CHANGED, request=request, actor=actor, obj=unit,
                 detail={"from": change.from_status, "to": to_status, "on": changed_on.isoformat()})
    return change


def unit_derive_trained(*, actor: Any, request: HttpRequest | None = None, unit: Unit) -> bool:
    """Mark a *formed* unit *trained* once the configured rule holds. Returns whether it did."""
    unit.refresh_from_db(fields=["status"])
    if unit.status != S.FORMED:
        return False
    done = len(unit_trained_agents(unit=unit))
    if done < trained_min_agents():
        return False
    unit_change_status(
        actor=actor, request=request, unit=unit, to_status=S.TRAINED,
        reason=_("Derived: %(done)d active agents completed a bimtek (rule: at least %(needed)d).")
        % {"done": done, "needed": trained_min_agents()},
    )
    return True


@transaction.atomic
def unit_record_initial_status(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    unit: Unit,
    changed_on: dt.date,
    reason: str,
) -> UnitStatusChange:
    """Give a unit recorded before this history existed its first entry (its current status)."""
    require_manage(actor, unit)
    if unit.status_changes.exists():
        raise PermissionDenied("history exists")
    not_in_future(changed_on, "changed_on")
    change = UnitStatusChange.objects.create(
        unit=unit, from_status="", to_status=unit.status, changed_on=changed_on,
        reason=clean_text(reason, "reason"), changed_by=actor,
    )
    audit_record(action=UnitAction.UNIT_STATUS_CHANGED, request=request, actor=actor, obj=unit,
                 detail={"from": "", "to": unit.status, "on": changed_on.isoformat()})
    return change
