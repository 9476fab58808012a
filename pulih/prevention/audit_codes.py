"""Audit event codes of community prevention (68x within the 6xx mapping range)."""

from enum import IntEnum


class PreventionAction(IntEnum):
    ACTIVITY_CREATED = 680
    ACTIVITY_UPDATED = 681
