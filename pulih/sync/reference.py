"""Reference data the field app needs offline: instruments, providers, places, choices.

Labels of choices come from the domain apps' own translations, in the
request's language, so the device shows the same words as the web.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from pulih.accounts.models import User
from pulih.accounts.roles import UNIT_ROLES
from pulih.regions.models import Village


def _choices(choices: type[models.TextChoices]) -> list[dict[str, str]]:
    return [{"value": str(value), "label": str(label)} for value, label in choices.choices]


def _client_choices() -> dict[str, Any]:
    from pulih.clients import models as m

    return {
        "outreach_channel": _choices(m.OutreachChannel),
        "outreach_outcome": _choices(m.OutreachOutcome),
        "sex": _choices(m.Sex),
        "age_band": _choices(m.AgeBand),
        "referral_source": _choices(m.ReferralSource),
        "consent_kind": _choices(m.ConsentKind),
        "consent_giver": _choices(m.ConsentGiver),
        "plan_modality": _choices(m.PlanModality),
        "session_kind": _choices(m.SessionKind),
        "urine_method": _choices(m.UrineTestMethod),
        "urine_result": _choices(m.UrineResult),
        "contact_mode": _choices(m.ContactMode),
        "contact_outcome": _choices(m.ContactOutcome),
        "episode_status": _choices(m.EpisodeStatus),
        "client_status": _choices(m.ClientStatus),
    }


def build_reference(*, user: Any) -> dict[str, Any]:
    unit = user.unit
    data: dict[str, Any] = {
        "unit": {"id": unit.pk, "name": unit.name, "village": unit.village_id},
        "choices": _client_choices(),
        "villages": list(
            Village.objects.filter(regency_id=unit.village.regency_id)
            .order_by("district__name", "name")
            .values("code", "name", "district__name")
        ),
        "agents": list(
            User.objects.filter(unit_id=unit.pk, role__in=list(UNIT_ROLES), is_active=True)
            .order_by("full_name")
            .values("id", "full_name")
        ),
        "instruments": [],
        "providers": [],
        "mappings": [],
    }
    if apps.is_installed("pulih.screening"):
        from pulih.screening.models import Instrument

        data["instruments"] = [
            {"code": i.code, "version": i.version, "content": i.content}
            for i in Instrument.objects.filter(active=True).order_by("code", "version")
        ]
    if apps.is_installed("pulih.referrals"):
        from pulih.referrals.models import Pathway, ServiceProvider, Urgency

        data["providers"] = list(
            ServiceProvider.objects.filter(is_active=True)
            .order_by("regency_id", "name")
            .values("id", "name", "type", "regency_id", "address", "phone")
        )
        data["choices"]["referral_pathway"] = _choices(Pathway)
        data["choices"]["referral_urgency"] = _choices(Urgency)
    if apps.is_installed("pulih.mapping"):
        from pulih.mapping.models import HotspotKind, SituationMapping

        data["mappings"] = list(
            SituationMapping.objects.filter(unit_id=unit.pk)
            .order_by("-period_end")
            .values("id", "title", "period_start", "period_end")
        )
        data["choices"]["hotspot_kind"] = _choices(HotspotKind)
    if apps.is_installed("pulih.prevention"):
        from pulih.mapping.choices import AgeBand
        from pulih.prevention.models import ActivityKind, Partner

        data["choices"]["activity_kind"] = _choices(ActivityKind)
        data["choices"]["activity_partner"] = _choices(Partner)
        data["choices"]["participant_age_band"] = _choices(AgeBand)
    data["hash"] = hashlib.sha256(
        json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True).encode()
    ).hexdigest()[:16]
    return data


def device_settings() -> dict[str, int]:
    """Limits the field app enforces on the phone."""
    return {
        "max_wrong_pins": int(getattr(settings, "PULIH_SYNC_MAX_WRONG_PINS", 5)),
        "wipe_after_days": int(getattr(settings, "PULIH_SYNC_WIPE_AFTER_DAYS", 14)),
        "pin_iterations": int(getattr(settings, "PULIH_SYNC_PIN_ITERATIONS", 210000)),
        "batch_size": int(getattr(settings, "PULIH_SYNC_BATCH_SIZE", 200)),
    }
