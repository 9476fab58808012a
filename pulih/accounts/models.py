from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from pulih.accounts.roles import Role
from pulih.core.crypto import EncryptedTextField
from pulih.organisations.models import Office, Unit


def new_security_stamp() -> str:
    return secrets.token_hex(16)


class User(AbstractUser):
    """A person who signs in. Belongs to an office, or (agents) to a unit."""

    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("IBM unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=[("id", "Bahasa Indonesia"), ("en", "English")], default="id"
    )

    security_stamp = models.CharField(
        max_length=32,
        default=new_security_stamp,
        help_text="Changing it ends every session of the user (password, second factor, disable).",
    )

    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=["agent", "coordinator"], unit__isnull=False)
                    | Q(
                        role__in=["supervisor", "office_staff", "partner", "dpo", "admin"],
                        office__isnull=False,
                        unit__isnull=True,
                    )
                    | Q(role="")
                ),
                name="user_role_membership",
            ),
        ]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_session_auth_hash(self) -> str:
        # Sessions are bound to the password *and* the security stamp, so a
        # password change, a second-factor change, disabling the account or an
        # administrator's "end sessions" invalidates every existing session.
        return salted_hmac(
            "pulih.accounts.User.session",
            f"{self.password}|{self.security_stamp}",
            algorithm="sha256",
        ).hexdigest()

    def can(self, permission: str) -> bool:
        from pulih.accounts.scoping import user_can

        return user_can(self, permission)


class ApiToken(models.Model):
    """A personal token for devices and scripts. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class FailedLogin(models.Model):
    """A failed sign-in, counted for the lockout and kept for the audit."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["username", "at"], name="failedlogin_user_at")]

    def __str__(self) -> str:
        return f"{self.username} {self.at}"


class TotpDevice(models.Model):
    """A time-based one-time-password authenticator (RFC 6238) of one user."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = EncryptedTextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(
        default=0, help_text="The newest time step accepted; a code is never accepted twice."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"TOTP for {self.user}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A single-use code for when the phone with the authenticator is lost."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")]

    def __str__(self) -> str:
        return f"recovery code of {self.user}"
