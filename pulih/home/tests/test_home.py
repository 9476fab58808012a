from __future__ import annotations

from typing import Any

import pytest

from pulih.testing.world import World


@pytest.mark.django_db
def test_the_home_page_offers_each_role_its_own_next_steps(world: World, as_user: Any) -> None:
    admin_page = as_user(world.adam).get("/").content.decode()
    assert "Kelola pengguna" in admin_page
    assert "Kelola kantor" in admin_page
    dpo_page = as_user(world.dina).get("/").content.decode()
    assert "Periksa jejak audit" in dpo_page
    assert "Kelola pengguna" not in dpo_page
    agent_page = as_user(world.alice).get("/").content.decode()
    assert "Kelola pengguna" not in agent_page
    assert "Periksa jejak audit" not in agent_page
    assert "IBM Bina Masyarakat" in agent_page


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client: Any) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_menu_only_lists_what_the_role_may_open(world: World, as_user: Any) -> None:
    agent_page = as_user(world.alice).get("/").content.decode()
    assert 'href="/accounts/users/"' not in agent_page
    assert 'href="/accounts/users/"' in as_user(world.adam).get("/").content.decode()
