from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pulih.accounts.middleware import SESSION_STARTED
from pulih.accounts.models import FailedLogin
from pulih.audit.models import AuditEvent
from pulih.testing.world import PASSWORD, World


def _login(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_it_signs_in_and_records_the_login(world: World, client: Client) -> None:
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    event = AuditEvent.objects.filter(action=101).latest("id")
    assert event.actor_username == "alice"
    assert event.ip == "127.0.0.1"


@pytest.mark.django_db
def test_it_refuses_a_wrong_password_with_a_message_and_records_it(world: World, client: Client) -> None:
    response = _login(client, "alice", "wrong-password")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    event = AuditEvent.objects.filter(action=102).latest("id")
    assert event.detail["username"] == "alice"
    assert event.actor_id is None


@pytest.mark.django_db
def test_it_locks_a_username_after_five_failures_even_with_the_right_password(
    world: World, client: Client
) -> None:
    for _ in range(5):
        _login(client, "alice", "wrong-password")
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 200
    assert "Terlalu banyak percobaan" in response.content.decode()
    assert AuditEvent.objects.filter(action=104).exists()


@pytest.mark.django_db
def test_the_lock_ends_by_itself_after_the_cool_off(world: World, client: Client, settings: Any) -> None:
    for _ in range(5):
        _login(client, "alice", "wrong-password")
    FailedLogin.objects.update(
        at=timezone.now() - timedelta(seconds=settings.PULIH_LOCKOUT_COOLOFF_SECONDS + 1)
    )
    assert _login(client, "alice", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_successful_login_clears_earlier_failures(world: World, client: Client) -> None:
    for _ in range(3):
        _login(client, "alice", "wrong-password")
    assert _login(client, "alice", PASSWORD).status_code == 302
    assert not FailedLogin.objects.filter(username="alice").exists()


@pytest.mark.django_db
def test_a_disabled_account_cannot_sign_in(world: World, client: Client) -> None:
    world.bob.is_active = False
    world.bob.save()
    assert _login(client, "bob", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_logout_is_recorded_and_ends_the_session(world: World, client: Client) -> None:
    _login(client, "alice", PASSWORD)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=103, actor_username="alice").exists()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_a_session_older_than_the_absolute_lifetime_is_ended(
    world: World, client: Client, settings: Any
) -> None:
    _login(client, "alice", PASSWORD)
    session = client.session
    session[SESSION_STARTED] = time.time() - settings.PULIH_SESSION_ABSOLUTE_SECONDS - 5
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action=105, actor_username="alice").exists()


def test_the_session_limits_are_the_documented_ones(settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.PULIH_SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60
    assert settings.PULIH_SESSION_TOUCH_SECONDS == 60


@pytest.mark.django_db
def test_the_idle_timeout_slides_with_activity_without_a_write_per_request(world: World, client: Client) -> None:
    from django.contrib.sessions.models import Session as DjangoSession

    from pulih.accounts.middleware import SESSION_TOUCHED

    assert client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
    key = client.session.session_key
    assert client.get("/").status_code == 200
    first = DjangoSession.objects.get(session_key=key).expire_date
    # Within the minute: the session is not written again.
    assert client.get("/clients/").status_code == 200
    assert DjangoSession.objects.get(session_key=key).expire_date == first
    # A minute after the last touch, a request slides the expiry forward.
    session = client.session
    session[SESSION_TOUCHED] = time.time() - 61
    session.save()
    before = DjangoSession.objects.get(session_key=key).expire_date
    assert client.get("/").status_code == 200
    assert DjangoSession.objects.get(session_key=key).expire_date > before
    # Idle past the timeout: the session is gone and the user signs in again.
    DjangoSession.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_login_refuses_an_external_next_url(world: World, client: Client) -> None:
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
