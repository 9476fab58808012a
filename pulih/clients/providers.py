"""This app's own timeline entries and work-list items (registered in ``apps.py``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, Field, Model, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import scope_queryset
from pulih.clients.models import InterventionPlan, MonitoringContact, Session, UrineTest
from pulih.clients.timeline import ClientRecord, TimelineEntry, as_datetime
from pulih.clients.worklist import WorkItem

# Days ahead that a scheduled contact already shows on the work list.
WORKLIST_HORIZON_DAYS = 7


def client_timeline(record: ClientRecord) -> Iterable[TimelineEntry]:
    for episode in record.episodes:
        yield TimelineEntry(
            as_datetime(episode.opened_at),
            "episode",
            _("Episode %(n)s opened") % {"n": episode.number},
            icon="▶",
        )
        if episode.closed_at:
            yield TimelineEntry(
                as_datetime(episode.closed_at),
                "episode",
                _("Episode %(n)s closed: %(reason)s")
                % {"n": episode.number, "reason": episode.get_closure_reason_display()},
                episode.closure_note,
                icon="■",
            )
    for consent in record.consents:
        yield TimelineEntry(
            as_datetime(consent.given_at),
            "consent",
            _("Consent given: %(kind)s") % {"kind": consent.get_kind_display()},
            consent.destination,
            icon="✔",
        )
        if consent.withdrawn_at:
            yield TimelineEntry(
                as_datetime(consent.withdrawn_at),
                "consent",
                _("Consent withdrawn: %(kind)s") % {"kind": consent.get_kind_display()},
                consent.withdrawal_note,
                icon="✖",
            )
    history = record.history
    # A long history has hundreds of records: each label and title is translated once per
    # page, not once per record (``get_<field>_display`` translates every choice each call).
    modality = _labels(InterventionPlan, "modality")
    plan_title = _("Intervention plan (%(modality)s, %(frequency)s)")
    for plan in history.plans:
        yield TimelineEntry(
            as_datetime(plan.created_at),
            "plan",
            plan_title % {"modality": modality.get(plan.modality, plan.modality), "frequency": plan.frequency},
            plan.goals,
            icon="✎",
        )
    session_kind = _labels(Session, "kind")
    others_text = _("%(n)s other clients")
    for session in history.sessions:
        others = max((getattr(session, "attendee_count", None) or 1) - 1, 0)
        detail = session.topic + (" · " + others_text % {"n": others} if others else "")
        title = session_kind.get(session.kind, session.kind)
        yield TimelineEntry(as_datetime(session.held_on), "session", title, detail, icon="●")
    note_title = _("Buku raport entry")
    for note in history.notes:
        yield TimelineEntry(as_datetime(note.written_on), "note", note_title, note.text, icon="✎")
    result = _labels(UrineTest, "result")
    urine_title = _("Urine test: %(result)s")
    for test in history.urine_tests:
        yield TimelineEntry(
            as_datetime(test.tested_on),
            "urine",
            urine_title % {"result": result.get(test.result, test.result)},
            test.substances,
            icon="⚗",
        )
    outcome = _labels(MonitoringContact, "outcome")
    contact_title = _("Monitoring contact: %(outcome)s")
    for contact in history.contacts:
        if contact.done_on is None:
            continue
        yield TimelineEntry(
            as_datetime(contact.done_on or contact.due_on),
            "monitoring",
            contact_title % {"outcome": outcome.get(contact.outcome, contact.outcome)},
            contact.notes,
            icon="☎",
        )


def _labels(model: type[Model], field: str) -> dict[Any, str]:
    """What ``get_<field>_display`` shows for each value of ``field``, in the active language."""
    choices = model._meta.get_field(field)
    assert isinstance(choices, Field)
    return {value: str(label) for value, label in choices.flatchoices}


def due_contacts(user: Any, today: date) -> Iterable[WorkItem]:
    horizon = today + timedelta(days=WORKLIST_HORIZON_DAYS)
    contacts = scope_queryset(
        user,
        MonitoringContact.objects.filter(
            done_on__isnull=True, due_on__lte=horizon, episode__closed_at__isnull=True
        ),
        Perm.CLIENTS_EDIT,
    ).select_related("client")
    if user.role == "agent":
        contacts = contacts.filter(agent=user)
    for contact in contacts:
        yield WorkItem(
            due=contact.due_on,
            overdue=contact.due_on < today,
            title=_("Monitoring contact (%(mode)s)") % {"mode": contact.get_mode_display()},
            url=reverse("clients:contact_done", kwargs={"pk": contact.pk}),
            client_code=contact.client.code,
            kind="monitoring",
        )


def due_plan_reviews(user: Any, today: date) -> Iterable[WorkItem]:
    horizon = today + timedelta(days=WORKLIST_HORIZON_DAYS)
    plans = scope_queryset(
        user,
        InterventionPlan.objects.filter(review_on__lte=horizon, episode__closed_at__isnull=True),
        Perm.CLIENTS_EDIT,
    ).select_related("client")
    if user.role == "agent":
        plans = plans.filter(responsible=user)
    # A plan superseded by a newer plan of the same client is not due (one query, not one per plan).
    newer = InterventionPlan.objects.filter(client=OuterRef("client"), created_at__gt=OuterRef("created_at"))
    for plan in plans.filter(~Exists(newer)):
        yield WorkItem(
            due=plan.review_on,
            overdue=plan.review_on < today,
            title=_("Review the intervention plan"),
            url=reverse("clients:plan_create", kwargs={"pk": plan.client_id}),
            client_code=plan.client.code,
            kind="plan",
        )
