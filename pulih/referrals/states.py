"""The referral state machine as a plain transition table (domain.md §6).

::

    draft ─send→ sent ─receive→ received ─accept→ accepted ─start→ in_progress ─complete→ completed
                   │                 │                                                 │
                   ├─accept/reject───┤ (an answer implies receipt)        return_for_aftercare
                   │                 └─reject→ rejected                                ↓
    cancel: from draft, sent, received, accepted → cancelled                        returned

Nothing here touches the database: services ask :func:`next_state` and
:func:`allowed_actions` and do the writing. The destination has no account,
so the referring unit records its answers on its behalf (who, which role, on
which date): those actions are in :data:`ON_BEHALF_OF_DESTINATION`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    RETURNED = "returned", _("Returned for aftercare")


class ReferralAction(models.TextChoices):
    SEND = "send", _("Send")
    RECEIVE = "receive", _("Record receipt")
    ACCEPT = "accept", _("Record acceptance")
    REJECT = "reject", _("Record rejection")
    START = "start", _("Record start of services")
    COMPLETE = "complete", _("Record completion and feedback")
    CANCEL = "cancel", _("Cancel referral")
    RETURN = "return", _("Return for aftercare")


S = ReferralState
A = ReferralAction

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, A.SEND): S.SENT,
    (S.DRAFT, A.CANCEL): S.CANCELLED,
    (S.SENT, A.RECEIVE): S.RECEIVED,
    (S.SENT, A.ACCEPT): S.ACCEPTED,
    (S.SENT, A.REJECT): S.REJECTED,
    (S.SENT, A.CANCEL): S.CANCELLED,
    (S.RECEIVED, A.ACCEPT): S.ACCEPTED,
    (S.RECEIVED, A.REJECT): S.REJECTED,
    (S.RECEIVED, A.CANCEL): S.CANCELLED,
    (S.ACCEPTED, A.START): S.IN_PROGRESS,
    (S.ACCEPTED, A.CANCEL): S.CANCELLED,
    (S.IN_PROGRESS, A.COMPLETE): S.COMPLETED,
    (S.COMPLETED, A.RETURN): S.RETURNED,
}

# The timestamp column each state stamps when it is entered.
STAMP: dict[str, str] = {
    S.SENT: "sent_at",
    S.RECEIVED: "received_at",
    S.ACCEPTED: "accepted_at",
    S.REJECTED: "rejected_at",
    S.IN_PROGRESS: "started_at",
    S.COMPLETED: "completed_at",
    S.CANCELLED: "cancelled_at",
    S.RETURNED: "returned_at",
}

# Answers given by the destination and recorded by the unit on its behalf.
ON_BEHALF_OF_DESTINATION = frozenset({A.RECEIVE, A.ACCEPT, A.REJECT, A.START, A.COMPLETE})
# Actions that need a written note (the reason, or the destination's feedback).
NOTE_REQUIRED = frozenset({A.REJECT, A.CANCEL, A.COMPLETE})
# An answer from the destination acknowledges receipt, so the referral stops being overdue.
ACKNOWLEDGES = frozenset({A.RECEIVE, A.ACCEPT, A.REJECT})
TERMINAL = frozenset(s.value for s in S if not any(f == s for f, _a in TRANSITIONS))
# States in which the referral is still open (the loop has not been closed).
OPEN = frozenset({S.DRAFT, S.SENT, S.RECEIVED, S.ACCEPTED, S.IN_PROGRESS})


class IllegalTransition(ValueError):
    def __init__(self, state: str, action: str) -> None:
        super().__init__(f"{action} is not allowed from {state}")
        self.state = state
        self.action = action


def next_state(state: str, action: str) -> str:
    """The state ``action`` leads to from ``state``; raises :class:`IllegalTransition`."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise IllegalTransition(state, action) from None


def allowed_actions(state: str) -> list[ReferralAction]:
    """The actions possible from ``state``, in the order of :class:`ReferralAction`."""
    return [a for a in A if (state, a.value) in TRANSITIONS]
