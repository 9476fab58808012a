"""The generated access test: every URL × every role × an out-of-scope object.

Each app declares its URLs in ``<app>/tests/url_cases.py``. A URL pattern
without a declaration fails ``test_every_url_has_a_scoping_case``, so a new
page or API operation cannot ship without a scoping rule.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from pulih.testing.url_cases import UrlCase
from pulih.testing.world import World

# URLs that belong to libraries, not to Pulih's product UI.
IGNORED_PREFIXES = ("django-admin", "static", "media")
IGNORED_NAMES = {"set_language", "api:openapi-json", "api:openapi-view"}


def _walk(patterns: list[Any], namespace: str = "", prefix: str = "") -> list[tuple[str, str]]:
    names = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            names += _walk(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            full = f"{namespace}:{p.name}" if namespace else p.name
            names.append((full, prefix + str(p.pattern)))
    return names


def project_url_names() -> set[str]:
    out = set()
    for name, route in _walk(get_resolver().url_patterns):
        if route.startswith(IGNORED_PREFIXES) or name in IGNORED_NAMES:
            continue
        out.add(name)
    return out


def all_cases() -> dict[str, UrlCase]:
    cases: dict[str, UrlCase] = {}
    for config in apps.get_app_configs():
        module = f"{config.name}.tests.url_cases"
        if config.name.startswith("pulih.") and find_spec(f"{config.name}.tests") and find_spec(module):
            for case in import_module(module).CASES:
                assert case.name not in cases, f"duplicate URL case {case.name}"
                cases[case.name] = case
    return cases


def test_every_url_has_a_scoping_case() -> None:
    missing = sorted(project_url_names() - set(all_cases()))
    assert not missing, f"URLs without a scoping case (add them to <app>/tests/url_cases.py): {missing}"


def test_every_case_names_a_real_url() -> None:
    stale = sorted(set(all_cases()) - project_url_names())
    assert not stale, f"URL cases for URLs that no longer exist: {stale}"


def test_every_object_url_declares_its_scope() -> None:
    """An object URL says how to reach outside each role's scope, or why nothing is outside it."""
    undeclared = sorted(
        name
        for name, case in all_cases().items()
        if case.kwargs and not (case.public or case.skip_reason) and case.out_of_scope is None and not case.sees_all
    )
    assert not undeclared, f"object URLs with neither out_of_scope nor sees_all: {undeclared}"


# A signed-in user outside a rule gets 403 or 404, nothing else (no redirect, no 405 escape).
DENIED = {403, 404}


def _request(client: Any, method: str, url: str) -> Any:
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data="{}", content_type="application/json")


@pytest.mark.django_db
def test_every_url_denies_roles_and_objects_outside_scope(world: World, as_user: Any) -> None:
    failures = []
    cases = all_cases()
    for name in sorted(project_url_names()):
        case = cases[name]
        if case.public or case.skip_reason:
            continue
        for persona, user in world.personas.items():
            client = as_user(user)
            if user.role not in case.allowed:
                kwargs = case.kwargs(world) if case.kwargs else {}
                url = reverse(name, kwargs=kwargs)
                for method in case.methods:
                    status = _request(client, method, url).status_code
                    if status not in DENIED:
                        failures.append(
                            f"{name} {method} as {persona} ({user.role}): {status}, expected denial"
                        )
            elif case.out_of_scope is not None:
                out_kwargs = case.out_of_scope(world, user)
                if out_kwargs is None:
                    continue
                url = reverse(name, kwargs=out_kwargs)
                for method in case.methods:
                    status = _request(client, method, url).status_code
                    if status not in {403, 404}:
                        failures.append(
                            f"{name} {method} as {persona} out of scope: {status}, expected 403/404"
                        )
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login_or_refused(world: World, client: Any) -> None:
    failures = []
    cases = all_cases()
    for name in sorted(project_url_names()):
        case = cases[name]
        if case.public or case.skip_reason:
            continue
        kwargs = case.kwargs(world) if case.kwargs else {}
        url = reverse(name, kwargs=kwargs)
        for method in case.methods:
            status = _request(client, method, url).status_code
            if status not in {302, 401, 403, 404, 405}:
                failures.append(f"{name} {method} anonymous: {status}")
    assert not failures, "\n".join(failures)
