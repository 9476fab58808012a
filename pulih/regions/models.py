"""Indonesia's administrative map with Kemendagri codes.

Codes are the primary keys (``15``, ``15.05``, ``15.05.02``,
``15.05.02.2003``) so that they read the same in the database, the API and
the official lists. Lower levels carry their ancestors' codes denormalised,
so that scoping ("villages in these regencies") needs no joins.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeZone(models.TextChoices):
    WIB = "WIB", _("WIB (UTC+7)")
    WITA = "WITA", _("WITA (UTC+8)")
    WIT = "WIT", _("WIT (UTC+9)")


class RegencyKind(models.TextChoices):
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")


class VillageKind(models.TextChoices):
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    timezone = models.CharField(_("time zone"), max_length=4, choices=TimeZone.choices)
    search_name = models.CharField(max_length=100, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.name


class Regency(models.Model):
    code = models.CharField(_("code"), max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regencies")
    name = models.CharField(_("name"), max_length=100, help_text=_("Without the Kabupaten/Kota prefix."))
    kind = models.CharField(_("kind"), max_length=10, choices=RegencyKind.choices)
    search_name = models.CharField(max_length=120, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("regency/city")
        verbose_name_plural = _("regencies/cities")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        prefix = "Kota" if self.kind == RegencyKind.KOTA else "Kabupaten"
        return f"{prefix} {self.name}"

    @property
    def short_label(self) -> str:
        """The name as people say it: 'Muaro Jambi', 'Kota Pangkalpinang'."""
        return f"Kota {self.name}" if self.kind == RegencyKind.KOTA else self.name

    @property
    def label(self) -> str:
        return f"{self.full_name}, {self.province.name}"


class District(models.Model):
    code = models.CharField(_("code"), max_length=8, primary_key=True)
    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="districts")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    search_name = models.CharField(max_length=100, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return f"Kec. {self.name}, {self.regency.short_label}, {self.province.name}"


class Village(models.Model):
    code = models.CharField(_("code"), max_length=13, primary_key=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="villages")
    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=VillageKind.choices)
    search_name = models.CharField(max_length=100, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return f"{self.name}, {self.district.name}, {self.regency.short_label}, {self.province.name}"


class RegionDataVersion(models.Model):
    """Which data set is loaded, so that loading again is a no-op."""

    source = models.CharField(max_length=100, unique=True)
    checksum = models.CharField(max_length=64)
    provinces = models.PositiveIntegerField(default=0)
    regencies = models.PositiveIntegerField(default=0)
    districts = models.PositiveIntegerField(default=0)
    villages = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.source} ({self.villages} villages)"
