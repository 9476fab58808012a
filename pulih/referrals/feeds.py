"""What referrals contribute to the client page's timeline and the agent's work list."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.accounts.scoping import scope_queryset, user_can
from pulih.clients.timeline import ClientRecord, TimelineEntry
from pulih.clients.worklist import WorkItem
from pulih.referrals.access import ReferralPerm
from pulih.referrals.models import ReferralEvent
from pulih.referrals.overdue import ack_due, is_overdue
from pulih.referrals.selectors import referral_list
from pulih.referrals.states import ReferralState


def timeline_entries(record: ClientRecord) -> Iterable[TimelineEntry]:
    """Each step of each of the client's referrals the user may read (one query)."""
    events = scope_queryset(
        record.user, ReferralEvent.objects.filter(referral__client=record.client), ReferralPerm.VIEW
    ).select_related("referral__provider")
    for event in events:
        title = _("Referral to %(provider)s: %(state)s") % {
            "provider": event.referral.provider.name,
            "state": event.get_state_display().lower(),
        }
        detail = ""
        if event.counterpart_name:
            detail = _("by %(name)s (%(role)s) at the destination") % {
                "name": event.counterpart_name,
                "role": event.counterpart_role or "—",
            }
        yield TimelineEntry(
            at=event.at,
            kind="referral",
            title=title,
            detail=detail,
            url=reverse("referrals:detail", kwargs={"pk": event.referral_id}),
            icon="↗",
        )


def worklist_items(user: Any, today: date) -> Iterable[WorkItem]:
    """Referrals waiting for the destination's answer past the deadline, and ones to close.

    A sent referral is due on the day its acknowledgement window ends and
    overdue after it; a completed one waits for the unit to record the
    client's return for aftercare.
    """
    if not user_can(user, ReferralPerm.MANAGE):
        return
    now = timezone.now()
    waiting = (
        referral_list(user=user, state=ReferralState.SENT)
        .select_related(None)
        .select_related("client", "provider")
    )
    for referral in waiting:
        assert referral.sent_at is not None
        due = timezone.localtime(ack_due(referral.sent_at)).date()
        if due > today:
            continue
        yield WorkItem(
            due=due,
            overdue=is_overdue(state=referral.state, sent_at=referral.sent_at, now=now),
            title=_("No answer yet from %(provider)s: call and record it")
            % {"provider": referral.provider.name},
            url=reverse("referrals:detail", kwargs={"pk": referral.pk}),
            client_code=referral.client.code,
            kind="referral",
        )
    completed = referral_list(user=user, state=ReferralState.COMPLETED).select_related("client", "provider")
    for referral in completed:
        assert referral.completed_at is not None
        yield WorkItem(
            due=timezone.localtime(referral.completed_at).date(),
            overdue=False,
            title=_("Services at %(provider)s completed: record the return for aftercare")
            % {"provider": referral.provider.name},
            url=reverse("referrals:detail", kwargs={"pk": referral.pk}),
            client_code=referral.client.code,
            kind="referral",
        )
