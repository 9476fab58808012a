"""The other side of the generated URL × role × scope walk.

The project-wide test (``pulih/accounts/tests/test_url_scoping.py``) proves
every units URL refuses the wrong roles and other areas; this proves the pages
open for the people they are for.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pulih.testing.world import World
from pulih.units.tests.url_cases import CASES


@pytest.mark.django_db
def test_every_units_page_opens_for_an_allowed_role_in_scope(world: World, as_user: Any) -> None:
    """The other side of scoping: the pages work for the people they are for."""
    failures = []
    for case in CASES:
        if "get" not in case.methods or not case.name.startswith("units:"):
            continue
        for persona in ("carol", "sam", "adam", "alice", "olga"):
            user = world.personas[persona]
            if user.role not in case.allowed:
                continue
            url = reverse(case.name, kwargs=case.kwargs(world) if case.kwargs else {})
            status = as_user(user).get(url).status_code
            if status != 200:
                failures.append(f"{case.name} as {persona}: {status}")
    assert not failures, "\n".join(failures)
