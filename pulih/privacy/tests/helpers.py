"""Helpers of the privacy tests."""

from __future__ import annotations

from pulih.clients.models import Client, ConsentKind
from pulih.clients.services import consent_withdraw
from pulih.testing.world import World


def close_by_withdrawal(world: World, client: Client) -> Client:
    """The unit records the withdrawal of data-processing consent, which closes the episode."""
    consent = client.consents.get(kind=ConsentKind.DATA_PROCESSING, withdrawn_at__isnull=True)
    actor = world.alice if client.unit_id == world.unit_kayu_aro.pk else world.bob
    consent_withdraw(actor=actor, consent=consent, note="Klien pindah ke kota lain")
    client.refresh_from_db()
    return client
