"""The checklist of a supervision visit (stored by key with each visit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

CHECKLIST: list[tuple[str, _StrPromise]] = [
    ("agents_active", _("At least five agents are active")),
    ("coordinator_present", _("The coordinator took part in the visit")),
    ("mapping_done", _("Mapping of the village is up to date")),
    ("client_records", _("Client records are kept and stored safely")),
    ("screening_done", _("Screening is done with the ASSIST instrument")),
    ("referrals_followed", _("Referrals are followed up to their outcome")),
    ("monthly_report", _("The monthly report was submitted on time")),
    ("village_support", _("The village government supports the unit")),
]

CHECKLIST_KEYS = [key for key, _label in CHECKLIST]
