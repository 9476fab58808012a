"""The eligibility policy: does a screened client stay in IBM or get referred?

Sources disagree on whether moderate risk stays in IBM (domain.md §1), so the
rule is configuration, not code. Change it in the Django settings (or the
environment-driven ``config/settings.py``):

* ``PULIH_ELIGIBILITY_IN_IBM`` — risk levels that stay in IBM.
  Default ``["low"]`` (BNN 2025); BNNP Sumsel 2022 practice would be
  ``["low", "moderate"]``.
* ``PULIH_ELIGIBILITY_AFTERCARE_IN_IBM`` — risk levels at which a client in
  aftercare (bina lanjut, after formal rehabilitation) stays in IBM.
  Default ``["low", "moderate"]``: aftercare is IBM's work, but WHO's action
  for high risk is a referral.

Whatever the settings say, an answer the instrument marks ``forces_referral``
(ASSIST Q8: injected in the past 3 months) always leads to a referral for
testing and specialist assessment, as the WHO manual asks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pulih.screening.scoring import Outcome
from pulih.screening.spec import InstrumentSpec

DEFAULT_IN_IBM = ("low",)
DEFAULT_AFTERCARE_IN_IBM = ("low", "moderate")


class Pathway(models.TextChoices):
    IBM = "ibm", _("Stay in IBM (community-based intervention)")
    REFERRAL = "referral", _("Refer to a rehabilitation or health service")


@dataclass(frozen=True)
class Recommendation:
    pathway: str
    # Machine-readable reasons, stored with the screening and shown on the results page.
    reasons: tuple[dict[str, Any], ...]


def policy_levels(*, aftercare: bool) -> tuple[str, ...]:
    if aftercare:
        return tuple(getattr(settings, "PULIH_ELIGIBILITY_AFTERCARE_IN_IBM", DEFAULT_AFTERCARE_IN_IBM))
    return tuple(getattr(settings, "PULIH_ELIGIBILITY_IN_IBM", DEFAULT_IN_IBM))


def recommend_pathway(
    *,
    spec: InstrumentSpec,
    outcome: Outcome,
    aftercare: bool = False,
    in_ibm: Sequence[str] | None = None,
) -> Recommendation:
    """Pure: the pathway for one screening outcome under the policy (settings unless ``in_ibm``)."""
    allowed = tuple(in_ibm) if in_ibm is not None else policy_levels(aftercare=aftercare)
    reasons: list[dict[str, Any]] = []
    if outcome.forces_referral:
        for question in spec.questions:
            code = outcome.flags.get(question.flag) if question.flag else None
            option = question.option(code) if code else None
            if option is not None and option.forces_referral:
                reasons.append({"code": "forced", "question": question.code, "option": option.code})
    for result in outcome.results:
        if result.level not in allowed:
            reasons.append({"code": "risk", "class": result.code, "level": result.level})
    if aftercare:
        reasons.append({"code": "aftercare"})
    refer = outcome.forces_referral or any(r["code"] == "risk" for r in reasons)
    return Recommendation(pathway=Pathway.REFERRAL if refer else Pathway.IBM, reasons=tuple(reasons))
