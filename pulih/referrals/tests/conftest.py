from __future__ import annotations

import pytest

from pulih.clients.models import Client
from pulih.clients.tests.factories import make_client
from pulih.referrals.models import ServiceProvider
from pulih.referrals.tests.factories import make_provider
from pulih.testing.world import World


@pytest.fixture
def provider(world: World) -> ServiceProvider:
    return make_provider(world, name="Puskesmas (ilustrasi) Sekernan")


@pytest.fixture
def sharing_client(world: World) -> Client:
    """A Kayu Aro client who consented to sharing with any destination (identity not included)."""
    return make_client(world, sharing=True)
