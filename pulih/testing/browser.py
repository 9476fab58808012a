"""Helpers for browser tests (fixtures ``browser`` and ``phone`` are in conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pulih.testing.world import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def browser_login(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def screenshot(page: Any, name: str) -> None:
    """Save a screenshot under var/screenshots for people to look at."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
