"""The retention schedule: rules as data, and the job that applies them.

A client's retention clock starts when its record closes (the newest closed
episode, with no open one). A client under restriction of processing is
skipped: restriction keeps data stored, and that includes not destroying it
(UU 27/2022; for example while a claim is pending).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from pulih.audit.services import audit_record
from pulih.core.errors import DomainError
from pulih.privacy.audit_codes import PrivacyAction
from pulih.privacy.destruction import DESTROYERS, IMPLIES, destroy_outreach
from pulih.privacy.models import (
    ClientDestruction,
    DataClass,
    DestructionRecord,
    RetentionAction,
    RetentionRule,
)
from pulih.privacy.services._common import require_dpo

# How many clients one run handles per class; the next run continues.
BATCH = 500


@transaction.atomic
def retention_rule_update(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    rule: RetentionRule,
    keep_for_days: int,
    action: str,
    legal_basis: str,
    holds_erasure: bool,
    active: bool,
) -> RetentionRule:
    require_dpo(actor)
    if keep_for_days < 0:
        raise DomainError(_("Enter a number of days, zero or more."), field="keep_for_days")
    if not legal_basis.strip():
        raise DomainError(_("Write the legal basis or reason."), code="required", field="legal_basis")
    before = {"keep_for_days": rule.keep_for_days, "action": rule.action, "holds_erasure": rule.holds_erasure}
    rule.keep_for_days, rule.action, rule.legal_basis = keep_for_days, action, legal_basis.strip()
    rule.holds_erasure, rule.active = holds_erasure, active
    rule.full_clean()
    rule.save()
    audit_record(
        action=PrivacyAction.RETENTION_RULE_CHANGED,
        request=request,
        actor=actor,
        obj=rule,
        detail={
            "data_class": rule.data_class,
            "before": before,
            "keep_for_days": keep_for_days,
            "action": action,
            "holds_erasure": holds_erasure,
            "active": active,
        },
    )
    return rule


def closed_clients(cutoff: datetime) -> QuerySet[Any]:
    """Clients whose record closed before ``cutoff`` (no open episode)."""
    from pulih.clients.models import Client, ClientStatus

    return (
        Client.objects.filter(status=ClientStatus.CLOSED)
        .exclude(episodes__closed_at__isnull=True)
        .annotate(last_closed=Max("episodes__closed_at"))
        .filter(last_closed__lt=cutoff)
    )


def record_destruction(
    *,
    data_class: str,
    action: str,
    trigger: str,
    now: datetime,
    clients: list[Any],
    rows: int,
    rule: RetentionRule | None = None,
    cutoff: datetime | None = None,
    dsr: Any = None,
    actor: Any = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
    subjects: int | None = None,
) -> DestructionRecord:
    """The destruction log entry (and its audit event) for one class destroyed for ``clients``."""
    record = DestructionRecord.objects.create(
        data_class=data_class,
        action=action,
        trigger=trigger,
        rule=rule,
        keep_for_days=rule.keep_for_days if rule else None,
        request=dsr,
        subjects=len(clients) if subjects is None else subjects,
        rows=rows,
        cutoff=cutoff,
        at=now,
        by=actor,
        detail=detail or {},
    )
    ClientDestruction.objects.bulk_create(
        [ClientDestruction(client=c, data_class=data_class, record=record, at=now) for c in clients],
        ignore_conflicts=True,
    )
    audit_record(
        action=PrivacyAction.DESTRUCTION_RECORDED,
        request=request,
        actor=actor,
        obj=record,
        at=now,
        detail={
            "data_class": data_class,
            "action": action,
            "trigger": trigger,
            "subjects": record.subjects,
            "rows": rows,
            "clients": [str(c.pk) for c in clients],
        },
    )
    return record


def destroy_classes(client: Any, data_class: str) -> dict[str, int]:
    """Destroy ``data_class`` of ``client`` and every class it implies not yet destroyed.

    Returns the rows changed per class destroyed now.
    """
    done = set(ClientDestruction.objects.filter(client=client).values_list("data_class", flat=True))
    classes = [c for c in (*IMPLIES.get(DataClass(data_class), ()), data_class) if c not in done]
    return {cls: DESTROYERS[DataClass(cls)](client) for cls in classes}


@dataclass(frozen=True)
class RunResult:
    records: list[DestructionRecord]
    skipped_restricted: int

    @property
    def destroyed(self) -> int:
        return sum(r.subjects for r in self.records)


@transaction.atomic
def retention_run(*, now: datetime) -> RunResult:
    """Apply every active rule once; record each destruction. Idempotent: a second run finds nothing."""
    records: list[DestructionRecord] = []
    skipped = 0
    actions = dict(RetentionRule.objects.values_list("data_class", "action"))
    for rule in RetentionRule.objects.filter(active=True).order_by("data_class"):
        cutoff = now - timedelta(days=rule.keep_for_days)
        if rule.data_class == DataClass.OUTREACH:
            count = destroy_outreach(cutoff)
            if count:
                records.append(
                    record_destruction(
                        data_class=rule.data_class,
                        action=RetentionAction.DELETE,
                        trigger="schedule",
                        now=now,
                        clients=[],
                        rows=count,
                        rule=rule,
                        cutoff=cutoff,
                        subjects=count,
                    )
                )
            continue
        due = closed_clients(cutoff).exclude(privacy_destructions__data_class=rule.data_class)
        skipped += due.filter(restricted_at__isnull=False).count()
        clients = list(due.filter(restricted_at__isnull=True).order_by("pk")[:BATCH])
        if not clients:
            continue
        by_class: dict[str, list[Any]] = {}
        rows_by_class: dict[str, int] = {}
        for client in clients:
            for cls, rows in destroy_classes(client, rule.data_class).items():
                by_class.setdefault(cls, []).append(client)
                rows_by_class[cls] = rows_by_class.get(cls, 0) + rows
        for cls, done in by_class.items():
            records.append(
                record_destruction(
                    data_class=cls,
                    action=actions.get(cls, rule.action),
                    trigger="schedule",
                    now=now,
                    clients=done,
                    rows=rows_by_class.get(cls, 0),
                    rule=rule,
                    cutoff=cutoff,
                    detail={"applied_by_rule": rule.data_class} if cls != rule.data_class else {},
                )
            )
    audit_record(
        action=PrivacyAction.RETENTION_RUN,
        at=now,
        detail={
            "records": len(records),
            "skipped_restricted": skipped,
            "destroyed": {r.data_class: r.subjects for r in records},
        },
    )
    return RunResult(records, skipped)
