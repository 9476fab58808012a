from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]
PROD_ENV = {
    "PULIH_ENV": "production",
    "PULIH_SECRET_KEY": "t3st-Only_9fQ2vLx8RzP4mN7wKb1cYd6hJs0aE5uGiOqT2pWnXr8Zk",
    "PULIH_ALLOWED_HOSTS": "pulih.example.id",
    "PULIH_FIELD_KEYS": "ZmFrZS1rZXktZm9yLXRlc3RzLW9ubHktMzItYnl0ZXM=",
    "PULIH_BLIND_INDEX_KEY": "blind-index-key-for-tests",
}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith("PULIH_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    } | env
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_passwords_are_hashed_with_argon2() -> None:
    from config import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy_and_security_headers(client: Any) -> None:
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_pages_load_no_inline_scripts_and_no_outside_assets(client: Any) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert "<script>" not in html
    assert "style=" not in html
    assert "http://" not in html.replace("http://127.0.0.1", "")
    assert "https://" not in html


def test_production_refuses_to_start_with_the_default_secret() -> None:
    env = dict(PROD_ENV)
    env.pop("PULIH_SECRET_KEY")
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "PULIH_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_with_debug_on() -> None:
    result = _run(["check"], PROD_ENV | {"PULIH_DEBUG": "1"})
    assert result.returncode != 0
    assert "PULIH_DEBUG" in result.stderr


def test_production_refuses_to_start_without_encryption_keys() -> None:
    env = dict(PROD_ENV)
    env.pop("PULIH_FIELD_KEYS")
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "PULIH_FIELD_KEYS" in result.stderr


def test_the_deployment_checklist_is_clean_in_production() -> None:
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


# --- Production transport headers (real production settings, in a subprocess) ----------------

_PROD_PROBE = """
import json
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
# collectstatic has not run here: only the static storage is swapped, nothing about headers.
plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
storages = {**settings.STORAGES, "staticfiles": plain_static}
override_settings(STORAGES=storages).enable()
out = {}
secure = Client(HTTP_HOST="pulih.example.id").get("/accounts/login/", secure=True)
plain = Client(HTTP_HOST="pulih.example.id").get("/accounts/login/", secure=False)
out["secure_status"] = secure.status_code
out["secure_headers"] = dict(secure.headers)
out["plain_status"] = plain.status_code
out["plain_location"] = plain.headers.get("Location", "")
print("PROBE" + json.dumps(out))
"""


def test_production_sends_hsts_and_redirects_plain_http_to_https(tmp_path: Path) -> None:
    env = PROD_ENV | {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    result = _run(["shell", "-c", _PROD_PROBE], env)
    assert result.returncode == 0, result.stdout + result.stderr
    probe = json.loads(result.stdout.split("PROBE", 1)[1])
    assert probe["secure_status"] == 200, probe
    headers = {k.lower(): v for k, v in probe["secure_headers"].items()}
    hsts = headers["strict-transport-security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts
    assert headers["cache-control"] == "no-store"
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert probe["plain_status"] == 301
    assert probe["plain_location"].startswith("https://pulih.example.id/")


def test_development_sends_no_hsts(client: Any) -> None:
    # HSTS pins browsers to HTTPS for a year: only production, behind TLS, may send it.
    assert "Strict-Transport-Security" not in client.get("/accounts/login/", secure=True)


# --- Client pages are never stored by browsers or proxies --------------------------------------


def _client_page_urls(client_pk: str) -> list[str]:
    from django.urls import URLPattern

    from pulih.clients import urls as client_urls

    found = []
    for pattern in client_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        converters = pattern.pattern.converters
        if not converters:
            found.append(reverse(f"clients:{pattern.name}"))
        elif set(converters) == {"pk"} and "<uuid:pk>/" in str(pattern.pattern):
            found.append(reverse(f"clients:{pattern.name}", kwargs={"pk": client_pk}))
    return found


@pytest.mark.django_db
def test_every_client_page_and_client_api_answer_is_marked_no_store(world: Any, as_user: Any) -> None:
    from pulih.accounts.services import token_create
    from pulih.clients.tests.factories import make_client

    record = make_client(world)
    browser = as_user(world.alice)
    urls = _client_page_urls(str(record.pk))
    assert len(urls) >= 8, urls
    checked = 0
    for url in urls:
        response = browser.get(url)
        if response.status_code >= 500:
            pytest.fail(f"{url}: {response.status_code}")
        assert "no-store" in response.get("Cache-Control", ""), (url, response.get("Cache-Control"))
        if response.status_code == 200:
            checked += 1
            assert "Content-Security-Policy" in response
    assert checked >= 5
    detail = browser.get(f"/clients/{record.pk}/")
    assert detail.status_code == 200
    assert detail["Cache-Control"] == "no-store"
    _token, raw = token_create(user=world.alice, name="headers")
    for path in ("/api/v1/clients/", f"/api/v1/clients/{record.pk}"):
        api = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert api.status_code == 200, (path, api.status_code)
        assert api["Cache-Control"] == "no-store", path


@pytest.mark.django_db
def test_an_unknown_api_path_answers_json_and_a_page_path_answers_html(client: Any) -> None:
    api = client.get("/api/v1/units/-1/agents")
    assert api.status_code == 404
    assert api.json()["code"] == "not_found"
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert "text/html" in page["Content-Type"]
