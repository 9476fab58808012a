"""Sync adapters for the client journey: payload → ``pulih.clients.services`` calls.

Each create adapter returns ``(object, created)``; the services are
idempotent on the client-generated id, so a replayed record is returned, not
written twice.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Model
from django.http import HttpRequest

from pulih.accounts.models import User
from pulih.accounts.roles import Perm
from pulih.accounts.scoping import get_scoped_or_404
from pulih.clients import services
from pulih.clients.models import Client, MonitoringContact, OutreachContact
from pulih.clients.selectors import client_get_for_edit
from pulih.regions.models import Village
from pulih.sync import payload as p


def village(data: dict[str, Any], name: str = "village", *, required: bool = True) -> Village | None:
    code = p.text(data, name, required=required)
    if not code:
        return None
    found = Village.objects.filter(code=code).first()
    if found is None:
        raise p.PayloadError(name, "unknown village code")
    return found


def own_client(actor: Any, pk: UUID | None) -> Client:
    return client_get_for_edit(user=actor, pk=pk)  # type: ignore[arg-type]


def unit_user(actor: Any, data: dict[str, Any], name: str) -> User | None:
    user_id = p.integer(data, name)
    if user_id is None:
        return None
    return User.objects.filter(pk=user_id, unit_id=actor.unit_id).first()


def _created(before: bool, obj: Model) -> tuple[Model, bool]:
    return obj, not before


def _exists(model: type[Model], pk: UUID) -> bool:
    return model._default_manager.filter(pk=pk).exists()


def client_create(
    actor: Any, request: HttpRequest | None, pk: UUID, data: dict[str, Any]
) -> tuple[Model, bool]:
    consent = p.mapping(data, "consent")
    before = _exists(Client, pk)
    outreach_id = p.uuid(data, "outreach", required=False)
    outreach = (
        OutreachContact.objects.filter(pk=outreach_id, unit_id=actor.unit_id).first() if outreach_id else None
    )
    client = services.client_register(
        actor=actor,
        request=request,
        id=pk,
        village=village(data),  # type: ignore[arg-type]
        name=p.text(data, "name"),
        sex=p.text(data, "sex", required=True),
        referral_source=p.text(data, "referral_source", required=True),
        birth_year=p.integer(data, "birth_year"),
        age_band=p.text(data, "age_band"),
        rw=p.text(data, "rw"),
        nik=p.text(data, "nik"),
        phone=p.text(data, "phone"),
        outreach=outreach,
        consent=services.ConsentInput(
            services=p.boolean(consent, "services"),
            data_processing=p.boolean(consent, "data_processing"),
            guardian=p.boolean(consent, "guardian"),
            given_by=p.text(consent, "given_by", default="client") or "client",
            giver_name=p.text(consent, "giver_name"),
            signature=p.text(consent, "signature"),
        ),
    )
    return _created(before, client)


def client_values(obj: Any) -> dict[str, Any]:
    return {"name": obj.name, "phone": obj.phone, "rw": obj.rw, "village_id": obj.village_id}


def client_update(actor: Any, request: HttpRequest | None, obj: Any, values: dict[str, Any]) -> Model:
    new_village = None
    if values["village_id"] != obj.village_id:
        new_village = village({"village": values["village_id"]})
    return services.client_update(
        actor=actor,
        request=request,
        client=obj,
        name=str(values["name"] or ""),
        phone=str(values["phone"] or ""),
        rw=str(values["rw"] or ""),
        village=new_village,
    )


def client_get(actor: Any, pk: UUID) -> Model:
    return client_get_for_edit(user=actor, pk=pk)


def consent_create(
    actor: Any, request: HttpRequest | None, pk: UUID, data: dict[str, Any]
) -> tuple[Model, bool]:
    from pulih.clients.models import Consent

    before = _exists(Consent, pk)
    consent = services.consent_give(
        actor=actor,
        request=request,
        id=pk,
        client=own_client(actor, p.uuid(data, "client")),
        kind=p.text(data, "kind", required=True),
        given_by=p.text(data, "given_by", default="client") or "client",
        giver_name=p.text(data, "giver_name"),
        destination=p.text(data, "destination"),
        share_identity=p.boolean(data, "share_identity"),
        given_at=p.moment(data, "given_at"),
        signature=p.text(data, "signature"),
    )
    return _created(before, consent)


def outreach_create(
    actor: Any, request: HttpRequest | None, pk: UUID, data: dict[str, Any]
) -> tuple[Model, bool]:
    before = _exists(OutreachContact, pk)
    contact = services.outreach_log(
        actor=actor,
        request=request,
        id=pk,
        contacted_on=p.day(data, "contacted_on"),  # type: ignore[arg-type]
        channel=p.text(data, "channel", required=True),
        outcome=p.text(data, "outcome", required=True),
        village=village(data, required=False),
        notes=p.text(data, "notes"),
    )
    return _created(before, contact)


def plan_create(
    actor: Any, request: HttpRequest | None, pk: UUID, data: dict[str, Any]
) -> tuple[Model, bool]:
    from pulih.clients.models import InterventionPlan

    before = _exists(InterventionPlan, pk)
    plan = services.plan_create(
        actor=actor,
        request=request,
        id=pk,
        client=own_client(actor, p.uuid(data, "client")),
        goals=p.text(data, "goals", required=True),
        modality=p.text(data, "modality", required=True),
        frequency=p.text(data, "frequency", required=True),
        responsible=unit_user(actor, data, "responsible") or actor,
        review_on=p.day(data, "review_on"),  # type: ignore[arg-type]
    )
    return _created(before, plan)


def session_create(
    actor: Any, request: HttpRequest | None, pk: UUID, data: dict[str, Any]
) -> tuple[Model, bool]:
    from pulih.clients.models import Session

    before = _exists(Session, pk)
    session = services.session_record(
        actor=actor,
        request=request,
        id=pk,
        kind=p.text(data, "kind", required=True),
        held_on=p.day(data, "held_on"),  # type: ignore[arg-type]
        topic=p.text(data, "topic", required=True),
        clients=[own_client(actor, c) for c in p.uuids(data, "clients")],
        notes=p.text(data, "notes"),
        duration_minutes=p.integer(data, "duration_minutes"),
    )
    return _created(before, session)


def note_create(
    actor: Any, request: HttpRequest | None, pk: UUID, data: dict[str, Any]
) -> tuple[Model, bool]:
    from pulih.clients.models import ProgressNote

    before = _exists(ProgressNote, pk)
    note = services.note_write(
        actor=actor,
        request=request,
        id=pk,
        client=own_client(actor, p.uuid(data, "client")),
        written_on=p.day(data, "written_on"),  # type: ignore[arg-type]
        text=p.text(data, "text", required=True),
    )
    return _created(before, note)


def urine_create(
    actor: Any, request: HttpRequest | None, pk: UUID, data: dict[str, Any]
) -> tuple[Model, bool]:
    from pulih.clients.models import UrineTest

    before = _exists(UrineTest, pk)
    test = services.urine_test_record(
        actor=actor,
        request=request,
        id=pk,
        client=own_client(actor, p.uuid(data, "client")),
        tested_on=p.day(data, "tested_on"),  # type: ignore[arg-type]
        method=p.text(data, "method", required=True),
        substances=p.text(data, "substances", required=True),
        result=p.text(data, "result", required=True),
        facility=p.text(data, "facility"),
    )
    return _created(before, test)


def contact_create(
    actor: Any, request: HttpRequest | None, pk: UUID, data: dict[str, Any]
) -> tuple[Model, bool]:
    before = _exists(MonitoringContact, pk)
    contact = services.contact_schedule(
        actor=actor,
        request=request,
        id=pk,
        client=own_client(actor, p.uuid(data, "client")),
        due_on=p.day(data, "due_on"),  # type: ignore[arg-type]
        mode=p.text(data, "mode", default="visit") or "visit",
        agent=unit_user(actor, data, "agent"),
    )
    # A contact recorded offline as already done is scheduled and done in one go.
    if data.get("done_on") and contact.done_on is None:
        contact = services.contact_done(
            actor=actor,
            request=request,
            contact=contact,
            done_on=p.day(data, "done_on"),  # type: ignore[arg-type]
            outcome=p.text(data, "outcome", required=True),
            notes=p.text(data, "notes"),
        )
    return _created(before, contact)


def contact_values(obj: Any) -> dict[str, Any]:
    return {
        "done_on": obj.done_on.isoformat() if obj.done_on else None,
        "outcome": obj.outcome,
        "notes": obj.notes,
    }


def contact_update(actor: Any, request: HttpRequest | None, obj: Any, values: dict[str, Any]) -> Model:
    return services.contact_done(
        actor=actor,
        request=request,
        contact=obj,
        done_on=p.day(values, "done_on"),  # type: ignore[arg-type]
        outcome=p.text(values, "outcome", required=True),
        notes=p.text(values, "notes"),
    )


def contact_get(actor: Any, pk: UUID) -> Model:
    return get_scoped_or_404(
        actor, MonitoringContact.objects.select_related("client", "episode"), Perm.CLIENTS_EDIT, pk=pk
    )
