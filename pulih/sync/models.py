"""What the sync protocol keeps on the server (see PROTOCOL.md).

* :class:`Change` — one row per synced object, rewritten on every change:
  its ``position`` is the id of the last writing transaction (PostgreSQL)
  or a commit-ordered counter (SQLite), its ``version`` the object's
  version that updates carry back as their base.
* :class:`PushBatch` — the idempotency record of a push: the key is unique
  per user, the stored result is returned for a replay.
* :class:`PullCheckpoint` — what a device holds after a pull (the snapshot
  it was read at and its client set), named by the opaque cursor the device
  sends back.
* :class:`Conflict` — a field edited on a device and on the server since
  the device's base: both values, until a person chooses.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pulih.core.crypto import EncryptedTextField


class ChangeOp(models.TextChoices):
    UPSERT = "u", _("Created or changed")
    DELETE = "d", _("Deleted")


class Change(models.Model):
    id = models.BigAutoField(primary_key=True)
    label = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    unit_id = models.IntegerField(null=True)
    client_id = models.UUIDField(null=True)
    position = models.BigIntegerField()
    version = models.PositiveIntegerField(default=1)
    op = models.CharField(max_length=1, choices=ChangeOp.choices, default=ChangeOp.UPSERT)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["label", "object_id"], name="sync_change_one_per_object")
        ]
        indexes = [
            models.Index(fields=["unit_id", "position"], name="sync_change_unit_pos"),
            models.Index(fields=["position"], name="sync_change_pos"),
        ]
        verbose_name = _("change")
        verbose_name_plural = _("changes")

    def __str__(self) -> str:
        return f"{self.label}:{self.object_id}@{self.position}"


class PushBatch(models.Model):
    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    payload_hash = models.CharField(max_length=64)
    device = models.CharField(max_length=64, blank=True)
    record_count = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="sync_push_unique_key")]
        verbose_name = _("push batch")
        verbose_name_plural = _("push batches")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class PullCheckpoint(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    device = models.CharField(max_length=64, blank=True)
    unit_id = models.IntegerField()
    # The database snapshot taken before the pull read anything (see cursor.py).
    snapshot = models.TextField()
    client_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "device", "created_at"], name="sync_checkpoint_device")]
        verbose_name = _("pull checkpoint")
        verbose_name_plural = _("pull checkpoints")

    def __str__(self) -> str:
        return str(self.id)


class ConflictChoice(models.TextChoices):
    SERVER = "server", _("Keep the value on the server")
    DEVICE = "device", _("Use the value from the device")


class Conflict(models.Model):
    """A same-field edit on a device and on the server; never resolved silently."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    label = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    field = models.CharField(max_length=64)
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("IBM unit"), on_delete=models.CASCADE, related_name="+"
    )
    client_id = models.UUIDField(null=True, blank=True)
    # Values as JSON text, encrypted: they may be identity (a name, a phone number).
    base_value = EncryptedTextField(blank=True)
    server_value = EncryptedTextField(blank=True)
    device_value = EncryptedTextField(blank=True)
    base_version = models.PositiveIntegerField(default=0)
    server_version = models.PositiveIntegerField(default=0)
    device = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    choice = models.CharField(max_length=10, choices=ConflictChoice.choices, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "resolved_at"], name="sync_conflict_unit_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, choice="")
                | (Q(resolved_at__isnull=False, resolved_by__isnull=False) & ~Q(choice="")),
                name="sync_conflict_resolution_complete",
            )
        ]
        verbose_name = _("sync conflict")
        verbose_name_plural = _("sync conflicts")

    def __str__(self) -> str:
        return f"{self.label}:{self.object_id}.{self.field}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
