"""The transition table on its own: every state × every action."""

from __future__ import annotations

import pytest

from pulih.referrals.states import (
    TERMINAL,
    TRANSITIONS,
    IllegalTransition,
    ReferralAction,
    ReferralState,
    allowed_actions,
    next_state,
)

S, A = ReferralState, ReferralAction

EXPECTED: dict[str, dict[str, str]] = {
    S.DRAFT: {A.SEND: S.SENT, A.CANCEL: S.CANCELLED},
    S.SENT: {A.RECEIVE: S.RECEIVED, A.ACCEPT: S.ACCEPTED, A.REJECT: S.REJECTED, A.CANCEL: S.CANCELLED},
    S.RECEIVED: {A.ACCEPT: S.ACCEPTED, A.REJECT: S.REJECTED, A.CANCEL: S.CANCELLED},
    S.ACCEPTED: {A.START: S.IN_PROGRESS, A.CANCEL: S.CANCELLED},
    S.IN_PROGRESS: {A.COMPLETE: S.COMPLETED},
    S.COMPLETED: {A.RETURN: S.RETURNED},
    S.REJECTED: {},
    S.CANCELLED: {},
    S.RETURNED: {},
}


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("action", list(A))
def test_each_state_and_action_is_allowed_or_refused_as_specified(state: str, action: str) -> None:
    expected = EXPECTED[state].get(action)
    if expected is None:
        with pytest.raises(IllegalTransition):
            next_state(state, action)
    else:
        assert next_state(state, action) == expected


def test_the_table_holds_nothing_beyond_the_specification() -> None:
    assert len(TRANSITIONS) == sum(len(v) for v in EXPECTED.values())


def test_allowed_actions_lists_the_buttons_in_a_stable_order() -> None:
    assert allowed_actions(S.SENT) == [A.RECEIVE, A.ACCEPT, A.REJECT, A.CANCEL]
    assert allowed_actions(S.RETURNED) == []


def test_rejected_cancelled_and_returned_are_the_end_of_the_loop() -> None:
    assert {S.REJECTED, S.CANCELLED, S.RETURNED} == TERMINAL
