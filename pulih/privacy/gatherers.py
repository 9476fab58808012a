"""One gatherer per app for the access export (registered in ``PrivacyConfig.ready()``).

The privacy app is a leaf: it may read every app's models, and nothing imports
it. A gatherer for an app that is not installed is simply not registered.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _

from pulih.privacy.export import Section, register, row


def clients_section(client: Any) -> Section:
    from pulih.clients import models as m

    ids: set[str] = {str(client.pk)}
    identity = row(client, exclude=("nik_index",))
    rows: list[dict[str, Any]] = [{"record": "client", **identity}]

    def add(kind: str, qs: Any, exclude: tuple[str, ...] = ()) -> None:
        for obj in qs:
            ids.add(str(obj.pk))
            rows.append({"record": kind, **row(obj, exclude=exclude)})

    add("episode", m.Episode.objects.filter(client=client).order_by("number"))
    for consent in m.Consent.objects.filter(client=client).order_by("given_at"):
        # A drawn signature is image data: say that one exists rather than dumping it.
        ids.add(str(consent.pk))
        rows.append(
            {"record": "consent", **row(consent, exclude=("signature",)), "signed": bool(consent.signature)}
        )
    add("outreach_contact", m.OutreachContact.objects.filter(client=client))
    add("intervention_plan", m.InterventionPlan.objects.filter(client=client).order_by("created_at"))
    add("session", m.Session.objects.filter(attendance__client=client).order_by("held_on"))
    add("progress_note", m.ProgressNote.objects.filter(client=client).order_by("written_on"))
    add("urine_test", m.UrineTest.objects.filter(client=client).order_by("tested_on"))
    add("monitoring_contact", m.MonitoringContact.objects.filter(client=client).order_by("due_on"))
    return Section("clients", _("Client record, consents and care"), rows, ids)


def screening_section(client: Any) -> Section | None:
    if not apps.is_installed("pulih.screening"):
        return None
    from pulih.screening.models import Screening, SubstanceResult

    rows: list[dict[str, Any]] = []
    ids: set[str] = set()
    for s in Screening.objects.filter(client=client).select_related("instrument").order_by("started_at"):
        ids.add(str(s.pk))
        results = [
            {"class": r.class_code, "score": r.score, "level": r.level, "reported_use": r.involved}
            for r in SubstanceResult.objects.filter(screening=s).order_by("order")
        ]
        rows.append(
            {"record": "screening", "instrument_name": str(s.instrument), **row(s), "results": results}
        )
    return Section("screening", _("Screenings with their answers and results"), rows, ids)


def referrals_section(client: Any) -> Section | None:
    if not apps.is_installed("pulih.referrals"):
        return None
    from pulih.referrals.models import Referral, ReferralEvent

    rows: list[dict[str, Any]] = []
    ids: set[str] = set()
    for ref in Referral.objects.filter(client=client).select_related("provider").order_by("created_at"):
        ids.add(str(ref.pk))
        events = [row(e) for e in ReferralEvent.objects.filter(referral=ref).order_by("at", "id")]
        rows.append({"record": "referral", "provider_name": ref.provider.name, **row(ref), "events": events})
    return Section("referrals", _("Referrals and their history"), rows, ids)


def sync_section(client: Any) -> Section | None:
    if not apps.is_installed("pulih.sync"):
        return None
    from pulih.sync.models import Change, Conflict

    rows: list[dict[str, Any]] = [
        {"record": "sync_change", **row(c)} for c in Change.objects.filter(client_id=client.pk).order_by("id")
    ]
    rows += [
        {"record": "sync_conflict", **row(c)}
        for c in Conflict.objects.filter(client_id=client.pk).order_by("created_at")
    ]
    return Section("sync", _("Offline synchronisation records"), rows, set())


def privacy_section(client: Any) -> Section:
    from pulih.privacy.models import ClientDestruction, DataSubjectRequest

    rows = [{"record": "request", **row(r)} for r in DataSubjectRequest.objects.filter(client=client)]
    rows += [{"record": "destroyed", **row(d)} for d in ClientDestruction.objects.filter(client=client)]
    ids = {str(r["id"]) for r in rows if r["record"] == "request"}
    return Section("privacy", _("Data-subject requests and destructions"), rows, ids)


def register_all() -> None:
    register("clients", clients_section, order=10)
    register("screening", screening_section, order=20)
    register("referrals", referrals_section, order=30)
    register("sync", sync_section, order=40)
    register("privacy", privacy_section, order=90)
