"""Audit codes of the client journey (range 401–459; screening uses 460–499)."""

from enum import IntEnum


class ClientAction(IntEnum):
    OUTREACH_LOGGED = 401
    CLIENT_REGISTERED = 402
    CLIENT_UPDATED = 403
    CLIENT_VIEWED = 404
    CLIENT_LISTED = 405
    CLIENT_CARD_PRINTED = 406
    DUPLICATE_NIK_REFUSED = 407
    CONSENT_GIVEN = 410
    CONSENT_WITHDRAWN = 411
    EPISODE_STATUS_CHANGED = 415
    EPISODE_CLOSED = 416
    EPISODE_REOPENED = 417
    PLAN_CREATED = 420
    SESSION_RECORDED = 421
    NOTE_WRITTEN = 422
    URINE_TEST_RECORDED = 423
    CONTACT_SCHEDULED = 424
    CONTACT_DONE = 425
    COMPLETION_LETTER_PRINTED = 430


# Events that only read: they change no record a report counts (pulih.reports.rollups skips them).
READS = frozenset(
    {
        ClientAction.CLIENT_VIEWED,
        ClientAction.CLIENT_LISTED,
        ClientAction.CLIENT_CARD_PRINTED,
        ClientAction.DUPLICATE_NIK_REFUSED,
        ClientAction.COMPLETION_LETTER_PRINTED,
    }
)
