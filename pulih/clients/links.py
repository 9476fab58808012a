"""Links to the screening and referrals apps, found by URL name only (no imports)."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse


def _link(name: str, client: Any, query: str = "") -> str | None:
    suffix = f"?{query}" if query else ""
    for kwargs in ({"client_id": client.pk}, {"pk": client.pk}):
        try:
            return reverse(name, kwargs=kwargs) + suffix
        except NoReverseMatch:
            continue
    try:
        return reverse(name) + f"?client={client.pk}" + (f"&{query}" if query else "")
    except NoReverseMatch:
        return None


def screening_start_url(client: Any, purpose: str = "") -> str | None:
    return _link("screening:start", client, f"purpose={purpose}" if purpose else "")


def referral_create_url(client: Any) -> str | None:
    return _link("referrals:create", client)
