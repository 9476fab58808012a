from __future__ import annotations

from typing import Any

import pytest

from pulih.clients import demo
from pulih.clients.models import Client
from pulih.testing.world import make_user


@pytest.mark.django_db
def test_the_demo_clients_load_once_and_are_marked_illustrative(world: Any) -> None:
    make_user("agen.kayuaro", "agent", unit=world.unit_kayu_aro)
    demo.load(lambda _msg: None)
    demo.load(lambda _msg: None)
    clients = Client.objects.all()
    assert clients.count() == 2
    assert all(c.is_demo and "(ilustrasi)" in c.name for c in clients)
