from __future__ import annotations

from typing import Any

import pytest

from pulih.testing.world import World

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_served_for_the_app_scope_and_lists_every_asset(client: Any) -> None:
    response = client.get("/app/sw.js")
    assert response.status_code == 200 and response["Service-Worker-Allowed"] == "/app/"
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    for asset in (
        "/static/fieldapp/js/main.js",
        "/static/fieldapp/js/store.js",
        "/static/fieldapp/app.css",
        "/static/fieldapp/icons/icon-192.png",
    ):
        assert asset in body


def test_the_manifest_makes_the_app_installable(client: Any) -> None:
    data = client.get("/app/manifest.webmanifest").json()
    assert data["start_url"] == "/app/" and data["display"] == "standalone" and data["lang"] == "id"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}


def test_the_shell_has_no_inline_script_and_loads_a_module(world: World, as_user: Any) -> None:
    html = as_user(world.alice).get("/app/").content.decode()
    assert '<script type="module" src="/static/fieldapp/js/main.js">' in html
    assert "<script>" not in html and "style=" not in html


def test_every_ui_word_has_an_english_translation() -> None:
    import re
    from pathlib import Path

    source = (Path(__file__).resolve().parents[1] / "static/fieldapp/js/i18n.js").read_text()
    blocks = source.split("  en: {")
    keys_id = set(re.findall(r"(\w+): \"", blocks[0].split("  id: {")[1]))
    keys_en = set(re.findall(r"(\w+): \"", blocks[1]))
    assert keys_id == keys_en
