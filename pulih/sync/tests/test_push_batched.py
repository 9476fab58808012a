"""The batched create path (services/batch.py) gives exactly what the per-record path gives.

Each scenario is pushed twice in the same database state: once with the batched
path switched off (``PULIH_SYNC_BATCHED_PUSH = False``, every record through its
domain service) and once with it on, each push rolled back after its outcome is
read. Results, rows, change-log versions and audit events must be identical.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pulih.audit.models import AuditEvent
from pulih.audit.services import audit_verify_chain
from pulih.clients.models import (
    Client,
    Consent,
    ConsentKind,
    Episode,
    EpisodeStatus,
    InterventionPlan,
    MonitoringContact,
    OutreachContact,
    ProgressNote,
    Session,
    SessionAttendance,
    UrineTest,
)
from pulih.clients.services import consent_withdraw, episode_close, outreach_log
from pulih.clients.tests.factories import make_client
from pulih.sync.models import Change
from pulih.sync.services import BatchRejected, push_batch
from pulih.sync.services.push import RecordIn, _parse
from pulih.sync.tests.factories import new_id, outreach, register, session, urine
from pulih.testing.world import KAYU_ARO, World

pytestmark = pytest.mark.django_db

_MODELS = (OutreachContact, MonitoringContact, UrineTest, Session, InterventionPlan, ProgressNote, Episode)


class _Rollback(Exception):
    pass


def contact(client_id: str, done: bool = False, **kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"client": client_id, "due_on": date.today().isoformat(), "mode": "phone"}
    if done:
        data.update({"done_on": date.today().isoformat(), "outcome": "stable", "notes": "baik"})
    data.update(kw)
    return {"model": "clients.monitoringcontact", "op": "create", "id": new_id(), "data": data}


def plan(client_id: str, **kw: Any) -> dict[str, Any]:
    data = {
        "client": client_id,
        "goals": "Berhenti",
        "modality": "individual",
        "frequency": "weekly",
        "review_on": (date.today() + timedelta(days=30)).isoformat(),
        **kw,
    }
    return {"model": "clients.interventionplan", "op": "create", "id": new_id(), "data": data}


def note(client_id: str) -> dict[str, Any]:
    data = {"client": client_id, "written_on": date.today().isoformat(), "text": "Stabil"}
    return {"model": "clients.progressnote", "op": "create", "id": new_id(), "data": data}


def _rows() -> dict[str, list[dict[str, Any]]]:
    rows = {
        model._meta.label_lower: sorted(
            (
                {k: v for k, v in row.items() if k not in ("created_at", "updated_at", "opened_at")}
                for row in model._default_manager.values()
            ),
            key=lambda r: str(r["id"]),
        )
        for model in _MODELS
    }
    rows["clients.sessionattendance"] = sorted(
        (
            {"session_id": s, "client_id": c}
            for s, c in SessionAttendance.objects.values_list("session_id", "client_id")
        ),
        key=str,
    )
    return rows


def _changes() -> list[tuple[Any, ...]]:
    return sorted(Change.objects.values_list("label", "object_id", "unit_id", "client_id", "version", "op"))


def _events(after: int) -> list[tuple[Any, ...]]:
    rows = AuditEvent.objects.filter(id__gt=after).order_by("id")
    return [
        # The batch row's id comes from a sequence that a rollback does not rewind.
        (action, kind, "batch" if kind == "sync.pushbatch" else object_id, *rest)
        for action, kind, object_id, *rest in rows.values_list(
            "action", "object_type", "object_id", "identified", "actor_id", "unit_id", "detail"
        )
    ]


def _random_names() -> dict[str, str]:
    """Ids and codes the services draw at random (a registration's episode, consents, client code),
    by a stable name, so that the two pushes can be compared."""
    names = {
        str(pk): f"episode:{client}:{n}" for pk, client, n in Episode.objects.values_list("id", "client_id", "number")
    }
    names.update(
        {
            str(pk): f"consent:{client}:{kind}"
            for pk, client, kind in Consent.objects.values_list("id", "client_id", "kind")
        }
    )
    names.update({code: f"code:{pk}" for pk, code in Client.objects.values_list("id", "code")})
    return names


def _stable(seen: dict[str, Any], key: str) -> Any:
    def rename(value: Any) -> str:
        text = json.dumps(value, default=str, sort_keys=True)
        for raw, name in seen["names"].items():
            text = text.replace(raw, name)
        return text

    if key == "rows":  # sets of rows per model, compared whatever order the random ids sort in
        return {label: sorted(rename(row) for row in rows) for label, rows in seen["rows"].items()}
    if key == "changes":
        return sorted(rename(row) for row in seen["changes"])
    return rename(seen.get(key))


def _outcome(world: World, settings: Any, records: list[dict[str, Any]], *, batched: bool) -> dict[str, Any]:
    """Push ``records`` (rolled back afterwards) and read everything it wrote."""
    settings.PULIH_SYNC_BATCHED_PUSH = batched
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    seen: dict[str, Any] = {}
    try:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                try:
                    result = push_batch(actor=world.alice, key="batched-vs-single", device="d", records=records)
                    seen["result"] = result
                except BatchRejected as exc:
                    seen["rejected"] = (exc.code, exc.details, exc.message)
            seen["queries"] = len(queries)
            seen["rows"] = _rows()
            seen["changes"] = _changes()
            seen["events"] = _events(last)
            seen["chain_ok"] = audit_verify_chain().ok
            seen["names"] = _random_names()
            raise _Rollback
    except _Rollback:
        pass
    return seen


def _same(world: World, settings: Any, records: list[dict[str, Any]]) -> dict[str, Any]:
    single = _outcome(world, settings, records, batched=False)
    batched = _outcome(world, settings, records, batched=True)
    assert batched.keys() == single.keys()
    for key in ("result", "rejected", "rows", "changes", "events"):
        assert _stable(batched, key) == _stable(single, key), key
    assert batched["chain_ok"] and single["chain_ok"]
    return batched


def test_a_mixed_batch_gives_the_same_rows_versions_results_and_audit_as_one_by_one(
    world: World, settings: Any
) -> None:
    a, b, c = make_client(world), make_client(world, name="Dedi (uji)"), make_client(world, name="Eka (uji)")
    stored = outreach_log(actor=world.alice, contacted_on=date.today(), channel="home_visit", outcome="informed")
    reg = register(KAYU_ARO)
    today = date.today()
    months_ago = [today - timedelta(days=62), today - timedelta(days=31), today]
    again = outreach(notes="twice")
    records = [
        outreach(village=KAYU_ARO, notes="di pos"),
        again,
        plan(str(a.pk), responsible=world.carol.pk),
        session([str(a.pk), str(b.pk)]),
        contact(str(a.pk), done=True),
        contact(str(b.pk), agent=world.carol.pk),
        contact(str(c.pk), agent=999999),  # unknown agent: the actor, as in the per-record path
        *[urine(str(c.pk), tested_on=day.isoformat()) for day in months_ago],
        note(str(b.pk)),
        reg,  # a registration (per-record path) and then records that depend on it
        urine(reg["id"], result="positive"),
        session([reg["id"]], kind="individual", duration_minutes=45),
        {"model": "clients.outreachcontact", "op": "create", "id": str(stored.pk), "data": again["data"]},
        again,  # the same id twice in one batch
        contact(str(c.pk), done=True),
    ]
    single = _outcome(world, settings, records, batched=False)
    outcome = _same(world, settings, records)
    assert outcome["queries"] * 2 < single["queries"]  # the batched path did the work
    statuses = [r["status"] for r in outcome["result"]["results"]]
    assert statuses == ["created"] * 14 + ["exists", "exists", "created"]
    episodes = {row["client_id"]: row["status"] for row in outcome["rows"]["clients.episode"]}
    assert episodes[a.pk] == EpisodeStatus.MONITORING  # planned -> in intervention -> monitoring
    assert episodes[b.pk] == EpisodeStatus.IN_INTERVENTION
    assert episodes[c.pk] == EpisodeStatus.COMPLETED  # three negative months met the completion rule
    versions = {r["id"]: r["version"] for r in outcome["result"]["results"]}
    assert versions[records[4]["id"]] == 2  # scheduled and done: two saves
    assert versions[records[5]["id"]] == 1


def test_every_created_record_has_its_audit_event_in_one_append(world: World, settings: Any) -> None:
    a = make_client(world)
    records = [outreach(), urine(str(a.pk)), contact(str(a.pk)), session([str(a.pk)], kind="individual")]
    outcome = _outcome(world, settings, records, batched=True)
    audited = {(e[1], e[2]) for e in outcome["events"]}
    for rec in records:
        assert (rec["model"], rec["id"]) in audited
    # The client's episode moved to "in intervention": audited too, with the client named.
    changed = [e for e in outcome["events"] if e[1] == "clients.episode"]
    assert len(changed) == 1 and changed[0][6]["client"] == str(a.pk)


@pytest.mark.parametrize("case", ["consent", "restricted", "other_unit", "minor", "closed", "bad_outcome"])
def test_refusals_are_the_same_and_found_by_the_batched_path(world: World, settings: Any, case: str) -> None:
    from pulih.sync.services.batch import apply_run

    good = make_client(world)
    if case == "consent":
        target = make_client(world, name="Tanpa izin")
        consent_withdraw(actor=world.alice, consent=Consent.objects.get(client=target, kind=ConsentKind.SERVICES))
        # Withdrawal closed the episode; reopen is impossible without consent, so open one directly.
        Episode.objects.create(client=target, number=2, opened_at=timezone.now(), opened_by=world.alice)
    elif case == "restricted":
        target = make_client(world, name="Dibatasi")
        Client.objects.filter(pk=target.pk).update(restricted_at=timezone.now(), restriction_reason="uji")
    elif case == "other_unit":
        target = make_client(world, world.unit_air_mesu)
    elif case == "minor":
        target = make_client(world, name="Anak", birth_year=date.today().year - 20)
        Client.objects.filter(pk=target.pk).update(birth_year=date.today().year - 15)
    elif case == "closed":
        target = make_client(world, name="Selesai")
        episode_close(actor=world.alice, client=target, reason="moved")
    else:
        target = make_client(world, name="Hasil")
    bad = contact(str(target.pk), done=True, outcome="happy") if case == "bad_outcome" else urine(str(target.pk))
    records = [outreach(), urine(str(good.pk)), bad, contact(str(good.pk))]
    outcome = _same(world, settings, records)
    results = outcome["result"]["results"]
    assert [r["status"] for r in results] == ["created", "created", "error", "created"]
    expected = {
        "consent": "consent_missing",
        "restricted": "restricted",
        "other_unit": "not_found",
        "minor": "consent_missing",
        "closed": "episode_closed",
        "bad_outcome": "required",
    }[case]
    assert results[2]["error"]["code"] == expected
    if case == "consent":
        assert "Consent to services" in results[2]["error"]["message"] or "layanan" in results[2]["error"]["message"]
    # The batched path itself refuses the record (it does not rely on the database to do so).
    rec = _parse(0, bad)
    assert isinstance(rec, RecordIn)
    with pytest.raises(Exception) as err, transaction.atomic():
        apply_run(world.alice, None, [rec])
    code = getattr(err.value, "code", None) or type(err.value).__name__
    assert code in (expected, "Http404")
    assert not UrineTest.objects.filter(pk=bad["id"]).exists()


def test_a_malformed_record_rejects_the_batch_the_same_way(world: World, settings: Any) -> None:
    a = make_client(world)
    records = [outreach(), urine(str(a.pk)), urine(str(a.pk), tested_on="kemarin"), outreach()]
    outcome = _same(world, settings, records)
    assert outcome["rejected"][0] == "invalid_batch" and outcome["rejected"][1] == {
        "index": 2,
        "field": "tested_on",
    }
    assert outcome["rows"]["clients.urinetest"] == []


def _mix(clients: list[Client], n: int) -> list[dict[str, Any]]:
    ids = [str(c.pk) for c in clients]
    makers = [
        lambda i: outreach(notes=f"n{i}"),
        lambda i: contact(ids[i % len(ids)], done=bool(i % 2)),
        lambda i: urine(ids[i % len(ids)]),
        lambda i: session([ids[i % len(ids)], ids[(i + 1) % len(ids)]]),
    ]
    return [makers[i % 4](i) for i in range(n)]


def test_statements_per_batch_do_not_grow_with_the_number_of_records(world: World) -> None:
    clients = [make_client(world, name=f"Klien {i}") for i in range(6)]
    counts = []
    for n in (10, 100):
        records = _mix(clients, n)
        with CaptureQueriesContext(connection) as queries:
            result = push_batch(actor=world.alice, key=new_id(), records=records)
        assert result["counts"] == {"created": n}
        counts.append(len(queries))
    print(f"statements per batch of 10 and 100 records: {counts}")
    # PostgreSQL: the same number. SQLite: Django splits bulk inserts at 999 parameters, so a
    # 100-record batch may take one or two more INSERT statements for its audit events.
    assert counts[1] - counts[0] <= (0 if connection.vendor == "postgresql" else 2), counts
    assert counts[1] < 60, counts  # the per-record path needs more than 10 per record


@pytest.mark.django_db(transaction=True)
def test_pulls_deliver_what_a_batched_push_wrote(world: World) -> None:
    from pulih.sync.selectors import pull

    a = make_client(world)
    first = pull(user=world.alice, device="d")
    records = [outreach(), urine(str(a.pk)), contact(str(a.pk), done=True)]
    push_batch(actor=world.alice, key=new_id(), records=records)
    later = pull(user=world.alice, device="d", cursor=first["cursor"])
    delivered = {(label, str(row["id"])) for label, rows in later["records"].items() for row in rows}
    for rec in records:
        assert (rec["model"], rec["id"]) in delivered
    contact_row = next(r for r in later["records"]["clients.monitoringcontact"] if str(r["id"]) == records[2]["id"])
    assert contact_row["_version"] == 2
