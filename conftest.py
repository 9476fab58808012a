"""Project-wide pytest fixtures: regions, the shared cast, and a browser."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test import Client
from django.test.testcases import LiveServerThread

from pulih.regions.loading import load_regions
from pulih.testing.world import TEST_PROVINCES, World, build_world


# With in-memory SQLite the live server shares the test's single connection
# with its request threads; concurrent browser requests on one SQLite
# connection corrupt each other's savepoints. Serve one request at a time there
# (Django then closes each HTTP connection, so the browser never waits on a
# kept-alive socket). PostgreSQL keeps the threaded server.
#
# A browser page can still have a request in flight (an automatic sync, a
# service-worker fetch) when its test ends; the test's flush would then run on
# the same connection at the same time. The gate lets the ``phone`` fixture
# wait for the request being served and refuse later ones before the flush.
# While a page is open, the test's own queries also wait for the request being
# served (the lock is re-entrant, so the server thread's queries pass through).
class _ServerGate:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.closed = False

    def close(self) -> None:
        with self.lock:  # waits for the request being served
            self.closed = True

    def serialise(self, execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
        with self.lock:
            return execute(sql, params, many, context)

    def open(self) -> None:
        with self.lock:
            self.closed = False


_gate = _ServerGate()


class _SerialWSGIServer(WSGIServer):
    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override

    def process_request(self, request: Any, client_address: Any) -> None:
        with _gate.lock:
            if _gate.closed:
                self.shutdown_request(request)
                return
            super().process_request(request, client_address)


if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    LiveServerThread.server_class = _SerialWSGIServer  # type: ignore[attr-defined]

# Playwright's sync API keeps an event loop running in the test thread, which
# makes Django refuse database calls there; tests are single-threaded, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    # Two provinces (Jambi, Bangka Belitung) keep the test database small; the
    # full national load is tested on its own.
    with django_db_blocker.unblock():
        load_regions(provinces=TEST_PROVINCES)


@pytest.fixture
def regions(db: Any) -> None:
    """Make sure the test regions exist (transactional tests flush them)."""
    load_regions(provinces=TEST_PROVINCES)


@pytest.fixture
def world(regions: None) -> World:
    return build_world()


def login_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Argon2 is deliberately slow; tests that are not about hashing use a fast
    # hasher. test_security checks the production configuration itself.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def as_user() -> Any:
    return login_client


# --- Browser (Playwright driving Debian's chromium) ---------------------------

CHROMIUM = os.environ.get("PULIH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    """A phone-sized page (360×740, touch) in Indonesian, pointed at the live server."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        extra_http_headers={"Accept-Language": "id"},
    )
    page = context.new_page()
    page.set_default_timeout(30000)  # generous: CI machines are small and busy
    page.base_url = live_server.url
    _gate.open()
    with connection.execute_wrapper(_gate.serialise):
        yield page
    context.close()
    _gate.close()


# --- CI guard: browser tests must really run ----------------------------------

_browser_passed = 0


def pytest_runtest_logreport(report: Any) -> None:
    global _browser_passed
    if report.when == "call" and report.passed and "browser" in report.keywords:
        _browser_passed += 1


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    # CI sets PULIH_REQUIRE_BROWSER=1: a run in which no browser test passed
    # (browser missing, tests deselected) fails instead of looking green.
    if os.environ.get("PULIH_REQUIRE_BROWSER") == "1" and exitstatus == 0 and _browser_passed == 0:
        session.exitstatus = 1
        print("\nPULIH_REQUIRE_BROWSER=1 but no browser test passed.")
