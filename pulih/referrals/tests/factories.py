"""Test helpers: providers and referrals made through the real services."""

from __future__ import annotations

from typing import Any

from pulih.clients.models import Client
from pulih.clients.tests.factories import make_client
from pulih.referrals.models import Pathway, ProviderType, Referral, ServiceProvider
from pulih.referrals.services.providers import provider_create
from pulih.referrals.services.referrals import referral_create
from pulih.regions.models import Regency
from pulih.testing.world import World

MUARO_JAMBI = "15.05"  # regency of Kayu Aro
BANGKA_TENGAH = "19.04"  # regency of Air Mesu Timur


def make_provider(world: World, *, regency: str = MUARO_JAMBI, **kw: Any) -> ServiceProvider:
    fields: dict[str, Any] = {
        "name": f"Puskesmas (ilustrasi) {regency}",
        "type": ProviderType.PUSKESMAS,
        "is_ipwl": True,
    }
    fields.update(kw)
    existing = ServiceProvider.objects.filter(regency_id=regency, name=fields["name"]).first()
    if existing is not None:
        return existing
    return provider_create(actor=world.adam, regency=Regency.objects.get(pk=regency), **fields)


def make_referral(
    world: World,
    *,
    client: Client | None = None,
    provider: ServiceProvider | None = None,
    actor: Any = None,
    send: bool = False,
    **kw: Any,
) -> Referral:
    """A referral of a Kayu Aro client (with sharing consent) to a Muaro Jambi puskesmas."""
    client = client or make_client(world, sharing=True)
    actor = actor or (world.alice if client.unit_id == world.unit_kayu_aro.pk else world.bob)
    if provider is None:
        regency = MUARO_JAMBI if client.unit_id == world.unit_kayu_aro.pk else BANGKA_TENGAH
        provider = make_provider(world, regency=regency)
    fields: dict[str, Any] = {
        "pathway": Pathway.OUTPATIENT,
        "reason": "ASSIST moderate risk, needs assessment.",
    }
    fields.update(kw)
    referral, _created = referral_create(actor=actor, client=client, provider=provider, send=send, **fields)
    return referral


def world_referral(world: World, unit: str = "kayu") -> Referral:
    """One sent referral per unit, made once per world (for the URL × role test)."""
    attr = f"_referral_{unit}"
    found = getattr(world, attr, None)
    if found is None:
        client = make_client(
            world, world.unit_kayu_aro if unit == "kayu" else world.unit_air_mesu, sharing=True
        )
        found = make_referral(world, client=client, send=True)
        setattr(world, attr, found)
    return found


def world_client(world: World, unit: str = "kayu") -> Client:
    return world_referral(world, unit).client
