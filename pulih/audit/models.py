from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One append-only, hash-chained entry of the audit trail.

    ``hash`` is SHA-256 over ``prev_hash`` and the canonical content of the
    event, so changing or deleting any past row breaks every later link
    (checked by ``manage.py verify_audit``). The actor is copied, not linked,
    so the trail survives account changes.
    """

    at = models.DateTimeField(_("time (UTC)"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    actor_role = models.CharField(_("role"), max_length=32, blank=True)
    office_id = models.BigIntegerField(null=True, blank=True)
    unit_id = models.BigIntegerField(null=True, blank=True)
    device = models.CharField(_("device or token"), max_length=64, blank=True)
    action = models.PositiveIntegerField(_("action code"), db_index=True)
    action_name = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    identified = models.BooleanField(
        _("identified data"), default=False, help_text=_("The event read or wrote client identity.")
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["actor_id", "at"], name="audit_actor_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            # The breach query ("which clients' identified data did account X or
            # device Y read between T1 and T2", pulih.privacy.breach): partial
            # indexes over the identified events only.
            models.Index(
                fields=["actor_id", "at"], condition=models.Q(identified=True), name="audit_ident_actor_at"
            ),
            models.Index(
                fields=["device", "at"], condition=models.Q(identified=True), name="audit_ident_device_at"
            ),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action_name}"


class AuditChainHead(models.Model):
    """Single row holding the hash of the newest event.

    Writers lock this row (``SELECT … FOR UPDATE``) so that concurrent
    transactions extend the chain one after another instead of forking it.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single_row")]

    def __str__(self) -> str:
        return f"audit head {self.count}"
