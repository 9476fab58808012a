"""Declaring how each URL is scoped, for the generated URL × role test.

Every app lists its URLs in ``<app>/tests/url_cases.py`` as ``CASES``, a list
of :class:`UrlCase`. ``pulih/accounts/tests/test_url_scoping.py`` walks every
URL pattern of the project (pages and API) and fails when one has no case,
then checks, for every persona:

* a role not in ``allowed`` gets 403/404 (or the login redirect), and
* an allowed role asking for an object outside its scope (built by
  ``out_of_scope(world, user)``) gets 403/404.

A case for a URL that names an object (``kwargs``) must say either how to
build an object outside each role's scope (``out_of_scope``) or why there is
none (``sees_all``); ``test_every_object_url_declares_its_scope`` enforces it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pulih.testing.world import World


@dataclass(frozen=True)
class UrlCase:
    name: str
    allowed: frozenset[str]
    # kwargs for an object in *some* scope (used to probe forbidden roles).
    kwargs: Callable[[World], dict[str, Any]] | None = None
    # kwargs for an object outside ``user``'s scope, or None if the user sees all.
    out_of_scope: Callable[[World, Any], dict[str, Any] | None] | None = None
    # For an object URL without ``out_of_scope``: why every allowed role sees every
    # such object (national roles, reference data). One of the two is required.
    sees_all: str = ""
    methods: tuple[str, ...] = ("get",)
    public: bool = False
    skip_reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


ALL_ROLES = frozenset({"agent", "coordinator", "supervisor", "office_staff", "partner", "dpo", "admin"})
