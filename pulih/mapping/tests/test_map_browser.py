"""The map page on a phone when the tile server cannot be reached."""

from __future__ import annotations

from typing import Any

import pytest

from pulih.mapping import demo
from pulih.testing.browser import browser_login, screenshot
from pulih.testing.world import World


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_map_shows_points_legend_and_list_when_tiles_cannot_load(
    world: World, phone: Any, settings: Any
) -> None:
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    phone.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
    demo.load(lambda message: None)
    browser_login(phone, "alice")
    phone.goto(phone.base_url + "/mapping/map/")
    phone.wait_for_selector("path.map-point--village", state="attached")
    assert phone.locator("path.map-point--hotspot").count() == 1
    phone.wait_for_selector("[data-map-status]:has-text('Ubin peta tidak dapat dimuat')")
    assert phone.locator("[data-testid=map-legend]").is_visible()
    assert "Pulau Kayu Aro" in phone.locator("[data-testid=map-list]").inner_text()
    screenshot(phone, "mapping-map-no-tiles")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_without_hotspot_rights_see_no_hotspot_layer(world: World, phone: Any, settings: Any) -> None:
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    demo.load(lambda message: None)
    browser_login(phone, "olga")
    phone.goto(phone.base_url + "/mapping/map/")
    phone.wait_for_selector("path.map-point--village", state="attached")
    assert phone.locator("path.map-point--hotspot").count() == 0
    assert phone.locator("input[value=hotspots]").count() == 0
    screenshot(phone, "mapping-map-staff")
