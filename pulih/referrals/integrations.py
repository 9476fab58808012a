"""The points where referrals call into the client journey and screening.

Kept in one module so that the dependency on ``pulih.clients`` and
``pulih.screening`` is visible at a glance. Screening is optional: without
it (or without a screening for the client) a referral carries no ASSIST
summary and the form is not pre-filled.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pulih.clients.consents import active_consent, require_consent
from pulih.clients.models import Client, Consent, ConsentKind, Episode, EpisodeStatus
from pulih.clients.selectors import episode_current


def sharing_consent(*, client: Client, destination: str) -> Consent:
    """The active consent to share with ``destination``; refuses (naming it) without one."""
    require_consent(client=client, kind=ConsentKind.SHARING, destination=destination)
    consent = active_consent(client=client, kind=ConsentKind.SHARING, destination=destination)
    assert consent is not None  # require_consent refused otherwise
    return consent


def current_episode(client: Client) -> Episode | None:
    return episode_current(client=client)


def episode_referred(*, actor: Any, request: HttpRequest | None, client: Client) -> None:
    """The client's open episode is now ``referred`` (nothing to do without one)."""
    from pulih.clients.services.episodes import episode_set_status

    if episode_current(client=client) is not None:
        episode_set_status(actor=actor, request=request, client=client, status=EpisodeStatus.REFERRED)


def episode_returned(*, actor: Any, request: HttpRequest | None, client: Client) -> Episode:
    """Continue IBM aftercare: the open episode, or a new one if it was closed meanwhile.

    Reopening needs the services and data-processing consents; without them
    the clients app refuses, naming the missing consent.
    """
    from pulih.clients.services.episodes import episode_reopen, episode_set_status

    if episode_current(client=client) is None:
        episode_reopen(actor=actor, request=request, client=client)
    return episode_set_status(actor=actor, request=request, client=client, status=EpisodeStatus.RETURNED)


def _screening_selectors() -> Any:
    if find_spec("pulih.screening") is None or find_spec("pulih.screening.selectors") is None:
        return None
    return import_module("pulih.screening.selectors")


def assist_summary(client: Client) -> dict[str, Any]:
    """The pseudonymous summary of the latest completed ASSIST screening, or ``{}``.

    Shape: ``pulih/screening/CONTRACT.md`` (``screening_summary``): highest
    level, injecting, pathway and the substances used with score and level.
    """
    selectors = _screening_selectors()
    if selectors is None:
        return {}
    screening = selectors.screening_latest(client=client)
    if screening is None:
        return {}
    return dict(selectors.screening_summary(screening))


def reason_from_screening(summary: dict[str, Any]) -> str:
    """A first draft of the referral reason from an ASSIST summary ('' if none)."""
    if not summary:
        return ""
    substances = ", ".join(
        f"{s.get('name', '')} {risk_label(s.get('level', ''))} ({s.get('score', '')})"
        for s in summary.get("substances", [])
    )
    parts = [
        _("ASSIST %(date)s: highest risk %(level)s.")
        % {
            "date": str(summary.get("completed_at", ""))[:10],
            "level": risk_label(summary.get("highest_level", "")),
        }
    ]
    if substances:
        parts.append(_("Substances: %(list)s.") % {"list": substances})
    if summary.get("injecting") == "recent":
        parts.append(_("Injecting in the past 3 months."))
    if summary.get("pathway") == "referral":
        parts.append(_("The screening recommends referral."))
    return " ".join(parts)


def risk_label(code: str) -> str:
    return str(RISK_LEVELS.get(code, code))


RISK_LEVELS = {"low": gettext_lazy("low"), "moderate": gettext_lazy("moderate"), "high": gettext_lazy("high")}
