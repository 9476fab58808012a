"""Outreach, registration and consent."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.accounts.scoping import scope_for
from pulih.audit.services import audit_record
from pulih.clients.audit_codes import ClientAction
from pulih.clients.models import (
    MINOR_AGE_BANDS,
    Client,
    ClientStatus,
    ClosureReason,
    Consent,
    ConsentGiver,
    ConsentKind,
    Episode,
    OutreachContact,
    OutreachOutcome,
)
from pulih.clients.nik import validate_nik
from pulih.clients.services._common import (
    audit_detail,
    existing,
    insert_new,
    require_own_client,
    require_unit_actor,
)
from pulih.core.crypto import blind_index
from pulih.core.errors import ConflictError, DomainError
from pulih.organisations.models import Unit
from pulih.regions.models import Village

# Crockford's base32 without I, L, O, U: readable aloud and on a printed card.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 6


def client_code_new(province_code: str) -> str:
    """``PLH-15-7K3QXD``: province and 30 random bits, unique nationally."""
    for _attempt in range(20):
        code = "PLH-{}-{}".format(
            province_code, "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        )
        if not Client.objects.filter(code=code).exists():
            return code
    raise RuntimeError("could not find a free client code")  # pragma: no cover - 2**30 codes per province


@transaction.atomic
def outreach_log(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    contacted_on: date,
    channel: str,
    outcome: str,
    village: Village | None = None,
    notes: str = "",
    id: UUID | None = None,
) -> OutreachContact:
    """Record an anonymous first contact (no name: consent comes first)."""
    unit_id = require_unit_actor(actor)
    found = existing(OutreachContact, id)
    if found is not None:
        if found.unit_id != unit_id:
            raise ConflictError(
                _("This id is already used by another record."), code="id_conflict", field="id"
            )
        return found
    contact = OutreachContact(
        unit_id=unit_id,
        agent=actor,
        contacted_on=contacted_on,
        channel=channel,
        outcome=outcome,
        village=village,
        notes=notes,
    )
    insert_new(contact, id)
    audit_record(
        action=ClientAction.OUTREACH_LOGGED,
        request=request,
        actor=actor,
        obj=contact,
        detail={"channel": channel, "outcome": outcome},
    )
    return contact


@dataclass(frozen=True)
class ConsentInput:
    """The consents given at registration, with the evidence for all of them."""

    services: bool
    data_processing: bool
    guardian: bool = False
    given_by: str = ConsentGiver.CLIENT
    giver_name: str = ""
    evidence: UploadedFile | None = None
    signature: str = ""


def _is_minor(birth_year: int | None, age_band: str) -> bool:
    from django.conf import settings

    minor_age = getattr(settings, "PULIH_MINOR_AGE", 18)
    if birth_year is not None:
        return timezone.localdate().year - birth_year < minor_age
    return age_band in MINOR_AGE_BANDS


def _refuse_missing(kind: str) -> DomainError:
    return DomainError(
        _("This needs the client's consent, which is missing or withdrawn: %(consent)s.")
        % {"consent": ConsentKind(kind).label},
        code="consent_missing",
        details={"consent": kind},
    )


def client_register(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    village: Village,
    name: str,
    sex: str,
    referral_source: str,
    consent: ConsentInput,
    birth_year: int | None = None,
    age_band: str = "",
    rw: str = "",
    nik: str = "",
    phone: str = "",
    outreach: OutreachContact | None = None,
    id: UUID | None = None,
) -> Client:
    """Register a client with the consents given now; nothing is stored without them.

    Data processing consent is required to store a name at all; a minor also
    needs a parent's or guardian's consent. A NIK already registered anywhere
    is refused without revealing whose it is.
    """
    unit_id = require_unit_actor(actor)
    found = existing(Client, id)
    if found is not None:
        if found.unit_id != unit_id:
            raise ConflictError(
                _("This id is already used by another record."), code="id_conflict", field="id"
            )
        return found
    name = name.strip()
    if not name:
        raise DomainError(_("Enter a name or an alias."), code="required", field="name")
    if birth_year is None and not age_band:
        raise DomainError(
            _("Enter the birth year or choose an age band."), code="required", field="birth_year"
        )
    if not consent.data_processing:
        raise _refuse_missing(ConsentKind.DATA_PROCESSING)
    if not consent.services:
        raise _refuse_missing(ConsentKind.SERVICES)
    minor = _is_minor(birth_year, age_band)
    if minor and not (
        consent.guardian and consent.given_by != ConsentGiver.CLIENT and consent.giver_name.strip()
    ):
        raise DomainError(
            _(
                "The client is a minor: registration needs the consent of a parent or guardian "
                "(who gives it and their name)."
            ),
            code="consent_missing",
            field="guardian",
            details={"consent": ConsentKind.GUARDIAN},
        )
    nik_index = None
    if nik.strip():
        nik = validate_nik(nik, sex=sex, birth_year=birth_year)
        nik_index = blind_index(nik, purpose="nik")
        # Outside the registration's transaction: the refused attempt stays in the trail.
        _refuse_duplicate_nik(actor=actor, request=request, nik_index=nik_index)
    with transaction.atomic():
        return _client_create(
            actor=actor,
            request=request,
            unit_id=unit_id,
            village=village,
            name=name,
            sex=sex,
            referral_source=referral_source,
            consent=consent,
            birth_year=birth_year,
            age_band=age_band,
            rw=rw,
            nik=nik,
            nik_index=nik_index,
            phone=phone,
            outreach=outreach,
            id=id,
            minor=minor,
        )


def _client_create(
    *,
    actor: Any,
    request: HttpRequest | None,
    unit_id: int,
    village: Village,
    name: str,
    sex: str,
    referral_source: str,
    consent: ConsentInput,
    birth_year: int | None,
    age_band: str,
    rw: str,
    nik: str,
    nik_index: str | None,
    phone: str,
    outreach: OutreachContact | None,
    id: UUID | None,
    minor: bool,
) -> Client:
    unit = Unit.objects.select_related("village").get(pk=unit_id)
    client = Client(
        code=client_code_new(village.province_id),
        unit=unit,
        village=village,
        name=name,
        nik=nik.strip(),
        nik_index=nik_index,
        phone=phone.strip(),
        rw=rw.strip(),
        sex=sex,
        birth_year=birth_year,
        age_band=age_band,
        referral_source=referral_source,
        registered_by=actor,
    )
    if id is not None:
        client.id = id
    client.full_clean(exclude=["nik_index"])
    try:
        with transaction.atomic():
            client.save(force_insert=True)
    except IntegrityError as exc:  # a concurrent registration of the same NIK
        raise ConflictError(_("This NIK is already registered."), code="duplicate_nik", field="nik") from exc
    now = timezone.now()
    Episode.objects.create(client=client, number=1, opened_at=now, opened_by=actor)
    kinds = [ConsentKind.DATA_PROCESSING, ConsentKind.SERVICES] + (
        [ConsentKind.GUARDIAN] if consent.guardian else []
    )
    for kind in kinds:
        _consent_create(
            actor=actor,
            request=request,
            client=client,
            kind=kind,
            given_at=now,
            given_by=consent.given_by,
            giver_name=consent.giver_name,
            evidence=consent.evidence,
            signature=consent.signature,
        )
    if outreach is not None and outreach.unit_id == unit_id:
        outreach.client = client
        outreach.outcome = OutreachOutcome.CONSENTED
        outreach.save(update_fields=["client", "outcome"])
    audit_record(
        action=ClientAction.CLIENT_REGISTERED,
        request=request,
        actor=actor,
        obj=client,
        identified=True,
        detail=audit_detail(client, minor=minor, nik_given=bool(nik_index)),
    )
    return client


def _refuse_duplicate_nik(*, actor: Any, request: HttpRequest | None, nik_index: str) -> None:
    other = Client.objects.filter(nik_index=nik_index).only("id", "code", "unit_id").first()
    if other is None:
        return
    audit_record(
        action=ClientAction.DUPLICATE_NIK_REFUSED,
        request=request,
        actor=actor,
        object_type="clients.client",
        object_id=str(other.pk),
        detail={"client": str(other.pk)},
    )
    if scope_for(actor).unit_id == other.unit_id:
        raise ConflictError(
            _("A client with this NIK is already registered in your unit: %(code)s.") % {"code": other.code},
            code="duplicate_nik",
            field="nik",
            details={"client_code": other.code},
        )
    # Another unit's client: say only that the person is known, nothing about who or where.
    raise ConflictError(
        _(
            "A client with this NIK is already registered in another unit. "
            "Ask your supervisor to arrange a transfer instead of registering the person again."
        ),
        code="duplicate_nik",
        field="nik",
    )


@transaction.atomic
def client_update(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    client: Client,
    name: str,
    phone: str = "",
    rw: str = "",
    village: Village | None = None,
) -> Client:
    """Correct the contact identity of a client (NIK and code do not change)."""
    require_own_client(actor, client)
    if not name.strip():
        raise DomainError(_("Enter a name or an alias."), code="required", field="name")
    client.name, client.phone, client.rw = name.strip(), phone.strip(), rw.strip()
    if village is not None:
        client.village = village
    client.version += 1
    client.full_clean(exclude=["nik_index"])
    client.save()
    audit_record(
        action=ClientAction.CLIENT_UPDATED,
        request=request,
        actor=actor,
        obj=client,
        identified=True,
        detail=audit_detail(client, version=client.version),
    )
    return client


def _consent_create(
    *,
    actor: Any,
    request: HttpRequest | None,
    client: Client,
    kind: str,
    given_at: datetime,
    given_by: str,
    giver_name: str = "",
    destination: str = "",
    share_identity: bool = False,
    evidence: UploadedFile | None = None,
    signature: str = "",
    id: UUID | None = None,
) -> Consent:
    consent = Consent(
        client=client,
        kind=kind,
        given_by=given_by,
        giver_name=giver_name.strip(),
        destination=destination.strip(),
        share_identity=share_identity,
        given_at=given_at,
        signature=signature,
        recorded_by=actor,
    )
    if id is not None:
        consent.id = id
    if evidence is not None:
        consent.evidence = evidence
    consent.full_clean()
    consent.save(force_insert=True)
    audit_record(
        action=ClientAction.CONSENT_GIVEN,
        request=request,
        actor=actor,
        obj=consent,
        detail=audit_detail(client, kind=kind, given_by=given_by, destination=consent.destination),
    )
    return consent


@transaction.atomic
def consent_give(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    client: Client,
    kind: str,
    given_by: str,
    giver_name: str = "",
    destination: str = "",
    share_identity: bool = False,
    given_at: datetime | None = None,
    evidence: UploadedFile | None = None,
    signature: str = "",
    id: UUID | None = None,
) -> Consent:
    """Record a consent (for example sharing with one referral destination)."""
    require_own_client(actor, client)
    found = existing(Consent, id, client=client)
    if found is not None:
        return found
    if kind == ConsentKind.GUARDIAN and (given_by == ConsentGiver.CLIENT or not giver_name.strip()):
        raise DomainError(
            _("A guardian consent is given by a parent or guardian: say who and give their name."),
            code="invalid",
            field="giver_name",
        )
    if kind != ConsentKind.SHARING and (destination or share_identity):
        destination, share_identity = "", False
    return _consent_create(
        actor=actor,
        request=request,
        client=client,
        kind=kind,
        given_at=given_at or timezone.now(),
        given_by=given_by,
        giver_name=giver_name,
        destination=destination,
        share_identity=share_identity,
        evidence=evidence,
        signature=signature,
        id=id,
    )


@transaction.atomic
def consent_withdraw(
    *, actor: Any, request: HttpRequest | None = None, consent: Consent, note: str = ""
) -> Consent:
    """Withdraw a consent. Without services or data processing consent the episode closes."""
    from pulih.clients.services.episodes import episode_close

    client = consent.client
    require_own_client(actor, client)
    if consent.withdrawn_at is not None:
        raise DomainError(_("This consent was already withdrawn."), code="already_withdrawn")
    consent.withdrawn_at = max(timezone.now(), consent.given_at)
    consent.withdrawal_note = note
    consent.save(update_fields=["withdrawn_at", "withdrawal_note"])
    audit_record(
        action=ClientAction.CONSENT_WITHDRAWN,
        request=request,
        actor=actor,
        obj=consent,
        detail=audit_detail(client, kind=consent.kind),
    )
    essential = consent.kind in (ConsentKind.SERVICES, ConsentKind.DATA_PROCESSING)
    still_given = Consent.objects.filter(client=client, kind=consent.kind, withdrawn_at__isnull=True).exists()
    if essential and not still_given and client.episodes.filter(closed_at__isnull=True).exists():
        episode_close(
            actor=actor,
            request=request,
            client=client,
            reason=ClosureReason.CONSENT_WITHDRAWN,
            note=note,
            _skip_gate=True,
        )
    if essential and not still_given:
        Client.objects.filter(pk=client.pk).update(status=ClientStatus.CLOSED)
    return consent
