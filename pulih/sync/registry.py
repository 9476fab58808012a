"""What the field app syncs: one :class:`Syncable` per model, declared here.

Each entry says which fields go to the device, how a row is placed (unit,
client) for change capture and scope, which date caps its history, and which
domain services create and update it, so validation, consent gates and audit
apply to a pushed record exactly as to one typed on the web. Entries whose
app is not installed are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.util import find_spec
from typing import Any
from uuid import UUID

from django.apps import apps
from django.db.models import Model
from django.http import HttpRequest

from pulih.accounts.roles import Perm

CreateFn = Callable[[Any, HttpRequest | None, UUID, dict[str, Any]], tuple[Model, bool]]
UpdateFn = Callable[[Any, HttpRequest | None, Any, dict[str, Any]], Model]
Target = tuple[str, Any, int | None, Any]


@dataclass(frozen=True)
class Syncable:
    label: str
    fields: tuple[str, ...]
    perm: str
    # Lookup from the model to its unit id (change capture and scope).
    unit_path: str
    # Attribute holding the client id; None for unit-level records (sessions, outreach, hotspots…).
    client_field: str | None = "client_id"
    # Date that caps the history sent to a device (``PULIH_SYNC_HISTORY_MONTHS``).
    date_field: str | None = None
    create: CreateFn | None = None
    update: UpdateFn | None = None
    get_for_edit: Callable[[Any, UUID], Model] | None = None
    # Fields a device may edit, with their current values and a normaliser for comparisons.
    mergeable: tuple[str, ...] = ()
    values: Callable[[Any], dict[str, Any]] | None = None
    normalise: Callable[[str, Any], Any] = field(default=lambda f, v: v)
    identified: bool = False
    filters: dict[str, Any] = field(default_factory=dict)
    # Extra data per row (e.g. a session's attending clients), added after ``values()``.
    expand: Callable[[list[dict[str, Any]]], None] | None = None
    # Other synced objects that change when this one does (a consent changes its client's status).
    touches: Callable[[Any], list[Target]] | None = None
    # Batched create (``pulih.sync.services.batch``): the same checks and writes as ``create``
    # for many records at once; records it does not cover go through ``create``.
    prepare: Callable[[Any, Any], None] | None = None

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.label)

    def locate(self, instance: Any) -> tuple[int | None, Any]:
        unit_id: Any = instance
        for part in self.unit_path.split("__"):
            unit_id = getattr(unit_id, part, None)
            if unit_id is None:
                break
        client_id = getattr(instance, self.client_field) if self.client_field else None
        return unit_id, client_id


def _client_of(instance: Any) -> list[Target]:
    client = instance.client
    return [("clients.client", client.pk, client.unit_id, client.pk)]


def _attendance(rows: list[dict[str, Any]]) -> None:
    from pulih.clients.models import SessionAttendance

    by_session: dict[Any, list[str]] = {row["id"]: [] for row in rows}
    for session_id, client_id in SessionAttendance.objects.filter(
        session_id__in=list(by_session)
    ).values_list("session_id", "client_id"):
        by_session[session_id].append(str(client_id))
    for row in rows:
        row["clients"] = by_session[row["id"]]


def _participants(rows: list[dict[str, Any]]) -> None:
    from pulih.prevention.models import ParticipantCount

    cells: dict[Any, list[dict[str, Any]]] = {row["id"]: [] for row in rows}
    for activity_id, sex, age_band, count in ParticipantCount.objects.filter(
        activity_id__in=list(cells)
    ).values_list("activity_id", "sex", "age_band", "count"):
        cells[activity_id].append({"sex": sex, "age_band": age_band, "count": count})
    for row in rows:
        row["participants"] = cells[row["id"]]


def _installed(module: str) -> bool:
    app = ".".join(module.split(".")[:2])
    return apps.is_installed(app) and find_spec(module) is not None


def _build() -> dict[str, Syncable]:
    from pulih.sync.adapters import batched as b
    from pulih.sync.adapters import clients as c

    entries = [
        Syncable(
            "clients.client",
            fields=(
                "id",
                "code",
                "village_id",
                "name",
                "phone",
                "rw",
                "sex",
                "birth_year",
                "age_band",
                "referral_source",
                "status",
                "created_at",
            ),
            perm=Perm.CLIENTS_VIEW,
            unit_path="unit_id",
            client_field="id",
            create=c.client_create,
            update=c.client_update,
            get_for_edit=c.client_get,
            mergeable=("name", "phone", "rw", "village_id"),
            values=c.client_values,
            identified=True,
        ),
        Syncable(
            "clients.episode",
            fields=("id", "client_id", "number", "status", "opened_at", "closed_at", "closure_reason"),
            perm=Perm.CLIENTS_VIEW,
            unit_path="client__unit_id",
            touches=_client_of,
        ),
        Syncable(
            "clients.consent",
            fields=(
                "id",
                "client_id",
                "kind",
                "given_by",
                "destination",
                "share_identity",
                "given_at",
                "withdrawn_at",
            ),
            perm=Perm.CLIENTS_VIEW,
            unit_path="client__unit_id",
            create=c.consent_create,
            touches=_client_of,
        ),
        Syncable(
            "clients.outreachcontact",
            fields=(
                "id",
                "contacted_on",
                "channel",
                "outcome",
                "village_id",
                "notes",
                "client_id",
                "agent_id",
            ),
            perm=Perm.CLIENTS_VIEW,
            unit_path="unit_id",
            client_field=None,
            date_field="contacted_on",
            create=c.outreach_create,
            prepare=b.prepare_outreach,
        ),
        Syncable(
            "clients.interventionplan",
            fields=(
                "id",
                "client_id",
                "goals",
                "modality",
                "frequency",
                "responsible_id",
                "review_on",
                "created_at",
            ),
            perm=Perm.CLIENTS_VIEW,
            unit_path="client__unit_id",
            date_field="created_at",
            create=c.plan_create,
            prepare=b.prepare_plan,
        ),
        Syncable(
            "clients.session",
            fields=("id", "kind", "held_on", "topic", "notes", "duration_minutes", "agent_id"),
            perm=Perm.CLIENTS_VIEW,
            unit_path="unit_id",
            client_field=None,
            date_field="held_on",
            create=c.session_create,
            prepare=b.prepare_session,
            expand=_attendance,
        ),
        Syncable(
            "clients.progressnote",
            fields=("id", "client_id", "written_on", "text", "author_id"),
            perm=Perm.CLIENTS_VIEW,
            unit_path="client__unit_id",
            date_field="written_on",
            create=c.note_create,
            prepare=b.prepare_note,
        ),
        Syncable(
            "clients.urinetest",
            fields=("id", "client_id", "tested_on", "method", "facility", "substances", "result"),
            perm=Perm.CLIENTS_VIEW,
            unit_path="client__unit_id",
            date_field="tested_on",
            create=c.urine_create,
            prepare=b.prepare_urine,
        ),
        Syncable(
            "clients.monitoringcontact",
            fields=("id", "client_id", "due_on", "mode", "agent_id", "done_on", "outcome", "notes"),
            perm=Perm.CLIENTS_VIEW,
            unit_path="client__unit_id",
            date_field="due_on",
            create=c.contact_create,
            prepare=b.prepare_contact,
            update=c.contact_update,
            get_for_edit=c.contact_get,
            mergeable=("done_on", "outcome", "notes"),
            values=c.contact_values,
        ),
    ]
    if _installed("pulih.screening.services"):
        from pulih.sync.adapters import others as o

        entries.append(
            Syncable(
                "screening.screening",
                fields=(
                    "id",
                    "client_id",
                    "instrument__code",
                    "instrument__version",
                    "purpose",
                    "completed_at",
                    "highest_level",
                    "injecting",
                    "pathway",
                    "version",
                ),
                perm=Perm.CLIENTS_VIEW,
                unit_path="client__unit_id",
                date_field="completed_at",
                create=o.screening_create,
                filters={"status": "completed"},
            )
        )
    if _installed("pulih.referrals.services"):
        from pulih.sync.adapters import others as o

        entries.append(
            Syncable(
                "referrals.referral",
                fields=(
                    "id",
                    "client_id",
                    "provider_id",
                    "pathway",
                    "reason",
                    "urgency",
                    "state",
                    "created_at",
                    "sent_at",
                ),
                perm="referrals.view",
                unit_path="client__unit_id",
                date_field="created_at",
                create=o.referral_create,
            )
        )
    if _installed("pulih.mapping.services"):
        from pulih.sync.adapters import others as o

        entries.append(
            Syncable(
                "mapping.hotspot",
                fields=(
                    "id",
                    "mapping_id",
                    "label",
                    "kind",
                    "rw",
                    "latitude",
                    "longitude",
                    "notes",
                    "updated_at",
                ),
                perm=Perm.HOTSPOTS_VIEW,
                unit_path="mapping__unit_id",
                client_field=None,
                create=o.hotspot_create,
                update=o.hotspot_update,
                get_for_edit=o.hotspot_get,
                mergeable=("label", "kind", "rw", "latitude", "longitude", "notes"),
                values=o.hotspot_values,
                normalise=o.hotspot_normalise,
            )
        )
    if _installed("pulih.prevention.services"):
        from pulih.sync.adapters import others as o

        entries.append(
            Syncable(
                "prevention.communityactivity",
                fields=(
                    "id",
                    "kind",
                    "held_on",
                    "village_id",
                    "rw",
                    "place",
                    "partners",
                    "partners_other",
                    "newcomers_count",
                    "description",
                ),
                perm="activities.view",
                unit_path="unit_id",
                client_field=None,
                date_field="held_on",
                create=o.activity_create,
                expand=_participants,
            )
        )
    return {entry.label: entry for entry in entries}


_REGISTRY: dict[str, Syncable] = {}
_BY_MODEL: dict[type[Model], Syncable] = {}


def registry() -> dict[str, Syncable]:
    if not _REGISTRY:
        _REGISTRY.update(_build())
        _BY_MODEL.update({entry.model: entry for entry in _REGISTRY.values()})
    return _REGISTRY


def get(label: str) -> Syncable | None:
    return registry().get(label)


def capture_targets(instance: Model) -> list[Target]:
    """The change rows to write for a save or delete of ``instance``: itself, then what it touches."""
    registry()
    entry = _BY_MODEL.get(type(instance))
    if entry is None:
        return []
    unit_id, client_id = entry.locate(instance)
    targets: list[Target] = [(entry.label, instance.pk, unit_id, client_id)]
    if entry.touches is not None:
        targets += entry.touches(instance)
    return targets


def synced_models() -> list[type[Model]]:
    return [entry.model for entry in registry().values()]
