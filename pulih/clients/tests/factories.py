"""Test helpers: registered clients made through the real services."""

from __future__ import annotations

from typing import Any

from pulih.clients.models import Client, ConsentGiver, ConsentKind, ReferralSource, Sex
from pulih.clients.services import ConsentInput, client_register, consent_give
from pulih.testing.world import World


def make_client(
    world: World, unit: Any = None, *, actor: Any = None, sharing: bool = False, **kw: Any
) -> Client:
    """A client of ``unit`` (default Kayu Aro) with services and data-processing consent."""
    unit = unit or world.unit_kayu_aro
    if actor is None:
        actor = world.alice if unit.pk == world.unit_kayu_aro.pk else world.bob
    fields: dict[str, Any] = {
        "village": unit.village,
        "name": "Budi (test)",
        "sex": Sex.MALE,
        "birth_year": 1995,
        "referral_source": ReferralSource.OUTREACH,
        "consent": ConsentInput(services=True, data_processing=True),
    }
    fields.update(kw)
    client = client_register(actor=actor, **fields)
    if sharing:
        consent_give(actor=actor, client=client, kind=ConsentKind.SHARING, given_by=ConsentGiver.CLIENT)
    return client
