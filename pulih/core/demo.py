"""Demo data: the two real IBM units from the source articles.

Each app may have a ``demo.py`` with ``load(log)``; ``manage.py load_demo``
runs them in INSTALLED_APPS order. Loaders must be idempotent (look records up
by natural key before creating) and mark anything the articles do not state
as illustrative (``is_demo`` fields, or "(ilustrasi)" in free text).
"""

from __future__ import annotations

DEMO_PASSWORD = "pulih-demo-2026"  # noqa: S105 - published demo credential, never used in production

# (username, role, where) — printed by ./pulih.sh start.
DEMO_LOGINS: list[tuple[str, str, str]] = [
    ("admin", "Administrator", "BNN RI"),
    ("dpo", "Petugas pelindungan data", "BNN RI"),
    ("staf.bnnri", "Staf BNN RI", "BNN RI"),
    ("pembina.jambi", "Pembina teknis", "BNNP Jambi"),
    ("pembina.pangkalpinang", "Pembina teknis", "BNNK Kota Pangkalpinang"),
    ("mitra.babel", "Mitra", "BNNP Kepulauan Bangka Belitung"),
    ("ketua.kayuaro", "Ketua IBM", "IBM Bina Masyarakat, Pulau Kayu Aro"),
    ("agen.kayuaro", "Agen Pemulihan", "IBM Bina Masyarakat, Pulau Kayu Aro"),
    ("agen.airmesu", "Agen Pemulihan", "IBM Desa Air Mesu Timur"),
]
