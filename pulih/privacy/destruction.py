"""What destroying one data class of one client does to the stored rows.

Writes go through ``Model.save()`` (never ``QuerySet.update()``) so that the
offline sync's change capture sees them and devices holding the client pull
the anonymised state. Each function returns the number of rows it changed or
deleted. The client row, its code and the pseudonymous analytic fields (sex,
age band, village, unit, referral source, status, dates) are always kept so
that aggregates and reports stay correct.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.apps import apps
from django.db.models import Count
from django.utils import timezone

from pulih.privacy.models import DataClass


def _age_band_for(birth_year: int, at_year: int) -> str:
    from pulih.clients.models import AgeBand

    age = at_year - birth_year
    for limit, band in (
        (15, AgeBand.UNDER_15),
        (18, AgeBand.AGE_15_17),
        (25, AgeBand.AGE_18_24),
        (35, AgeBand.AGE_25_34),
        (45, AgeBand.AGE_35_44),
    ):
        if age < limit:
            return str(band)
    return str(AgeBand.AGE_45_PLUS)


def destroy_identity(client: Any) -> int:
    """Empty the encrypted identity columns, drop the NIK blind index, erase consent evidence."""
    from pulih.clients.models import Consent

    changed = 0
    client.name, client.nik, client.nik_index, client.phone, client.rw = "", "", None, "", ""
    client.version += 1
    client.save(update_fields=["name", "nik", "nik_index", "phone", "rw", "version", "updated_at"])
    changed += 1
    for consent in Consent.objects.filter(client=client):
        if consent.evidence:
            consent.evidence.delete(save=False)
        consent.giver_name, consent.signature, consent.evidence = "", "", ""
        consent.save(update_fields=["giver_name", "signature", "evidence"])
        changed += 1
    if apps.is_installed("pulih.sync"):
        from pulih.sync.models import Conflict

        # A sync conflict keeps the competing values of a field, which may be a name.
        for conflict in Conflict.objects.filter(client_id=client.pk):
            conflict.base_value = conflict.server_value = conflict.device_value = ""
            conflict.save(update_fields=["base_value", "server_value", "device_value"])
            changed += 1
    return changed


def destroy_case_notes(client: Any) -> int:
    """Delete progress notes and empty every free-text field about the client.

    Notes of a group session concern the other attendees too and are kept;
    the DPO reviews them by hand (docs/privacy.md).
    """
    from pulih.clients.models import (
        Consent,
        Episode,
        MonitoringContact,
        OutreachContact,
        ProgressNote,
        Session,
    )

    changed = 0
    for note in ProgressNote.objects.filter(client=client):
        note.delete()
        changed += 1

    def blank(qs: Any, *fields: str) -> int:
        n = 0
        for obj in qs:
            if any(getattr(obj, f) for f in fields):
                for f in fields:
                    setattr(obj, f, {} if isinstance(getattr(obj, f), dict) else "")
                obj.save(update_fields=list(fields))
                n += 1
        return n

    solo = Session.objects.filter(attendance__client=client).annotate(n=Count("attendance")).filter(n=1)
    changed += blank(Session.objects.filter(pk__in=[s.pk for s in solo]), "notes")
    changed += blank(MonitoringContact.objects.filter(client=client), "notes")
    changed += blank(Episode.objects.filter(client=client), "closure_note")
    changed += blank(Consent.objects.filter(client=client), "withdrawal_note")
    changed += blank(OutreachContact.objects.filter(client=client), "notes")
    if apps.is_installed("pulih.screening"):
        from pulih.screening.models import Screening

        # Completed screenings are immutable (a database trigger); only drafts are emptied.
        changed += blank(
            Screening.objects.filter(client=client, status="draft"), "specify", "correction_reason"
        )
    if apps.is_installed("pulih.referrals"):
        from pulih.referrals.models import Referral, ReferralEvent

        changed += blank(Referral.objects.filter(client=client), "reason", "feedback")
        changed += blank(ReferralEvent.objects.filter(referral__client=client), "note")
    return changed


def destroy_care_record(client: Any) -> int:
    """Coarsen what could single a person out in the structured record: birth year → age band."""
    if client.birth_year is None:
        return 0
    client.age_band = client.age_band or _age_band_for(client.birth_year, client.created_at.year)
    client.birth_year = None
    client.version += 1
    client.save(update_fields=["age_band", "birth_year", "version", "updated_at"])
    return 1


DESTROYERS = {
    DataClass.IDENTITY: destroy_identity,
    DataClass.CASE_NOTES: destroy_case_notes,
    DataClass.CARE_RECORD: destroy_care_record,
}

# Anonymising the care record also anonymises everything finer-grained.
IMPLIES = {
    DataClass.CARE_RECORD: (DataClass.IDENTITY, DataClass.CASE_NOTES),
}


def destroy_outreach(cutoff: datetime) -> int:
    """Delete anonymous outreach contacts older than ``cutoff`` that never led to a registration."""
    from pulih.clients.models import OutreachContact

    old = OutreachContact.objects.filter(client__isnull=True, contacted_on__lt=timezone.localdate(cutoff))
    count = 0
    for contact in old.iterator():
        contact.delete()
        count += 1
    return count
