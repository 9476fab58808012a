"""The IKRN indicators (domain.md §1): 8 main and 5 supporting.

Each entry is ``(model field, import column, label)``. The import template,
the import parser, the forms and the classifier all read these tuples, so an
indicator is added in one place.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MAIN_INDICATORS = [
    ("main_drug_cases", "kasus_narkoba", _("Drug crime cases")),
    ("main_crime_violence", "kriminalitas", _("Crime and violence rate")),
    ("main_dealers", "pengedar", _("Dealers")),
    ("main_production", "produksi", _("Production")),
    ("main_users", "pengguna", _("Users")),
    ("main_seized_evidence", "barang_bukti", _("Seized evidence")),
    ("main_entry_points", "pintu_masuk", _("Entry points")),
    ("main_couriers", "kurir", _("Couriers")),
]

SUPPORTING_INDICATORS = [
    ("supp_entertainment", "tempat_hiburan", _("Entertainment venues")),
    ("supp_boarding_houses", "kos_privasi_tinggi", _("Boarding houses / high-privacy housing")),
    ("supp_poverty", "kemiskinan", _("Poverty")),
    ("supp_public_facilities", "minim_fasilitas_umum", _("Lack of public facilities")),
    ("supp_social_interaction", "interaksi_sosial_rendah", _("Low social interaction")),
]

# The observed risk factors of a situation mapping are the five supporting
# indicators, seen from the village rather than measured by the IKRN survey.
RISK_FACTORS = [
    ("risk_entertainment", _("Entertainment venues")),
    ("risk_boarding_houses", _("Boarding houses / high-privacy housing")),
    ("risk_poverty", _("Poverty")),
    ("risk_public_facilities", _("Lack of public facilities")),
    ("risk_social_interaction", _("Low social interaction")),
]
