"""Demo providers for the demo areas (Jambi, Bangka Belitung).

Names are generic and marked "(ilustrasi)" with ``is_demo=True``: no official
facts (addresses, phone numbers, IPWL designations) are invented. The one
real facility named is Balai Besar Rehabilitasi BNN Lido, the national
inpatient centre in Kabupaten Bogor, without contact details. A provider
whose regency is not loaded (a partial region data set) is skipped.
"""

from __future__ import annotations

from collections.abc import Callable

from pulih.referrals.models import ProviderType, ServiceProvider
from pulih.regions.models import Regency

# (name, type, IPWL, regency code, illustrative)
PROVIDERS: list[tuple[str, str, bool, str, bool]] = [
    ("Puskesmas (ilustrasi) Sekernan", ProviderType.PUSKESMAS, False, "15.05", True),
    ("Klinik Pratama BNNK (ilustrasi) Muaro Jambi", ProviderType.BNN_CLINIC_PRATAMA, False, "15.05", True),
    ("Klinik Pratama BNNP Jambi (ilustrasi)", ProviderType.BNN_CLINIC_PRATAMA, False, "15.71", True),
    ("RSJ (ilustrasi) Kota Jambi", ProviderType.RSJ, False, "15.71", True),
    ("IPWL medis (ilustrasi) Kota Jambi", ProviderType.IPWL_MEDICAL, True, "15.71", True),
    ("LKS (ilustrasi) Kota Jambi", ProviderType.LKS, False, "15.71", True),
    ("Dinas Sosial (ilustrasi) Kabupaten Muaro Jambi", ProviderType.DINAS_SOSIAL, False, "15.05", True),
    (
        "Klinik Pratama BNNK Kota Pangkalpinang (ilustrasi)",
        ProviderType.BNN_CLINIC_PRATAMA,
        False,
        "19.71",
        True,
    ),
    ("Puskesmas (ilustrasi) Pangkalan Baru", ProviderType.PUSKESMAS, False, "19.04", True),
    ("Rumah sakit (ilustrasi) Kota Pangkalpinang", ProviderType.HOSPITAL, False, "19.71", True),
    ("IPWL sosial (ilustrasi) Bangka Belitung", ProviderType.IPWL_SOCIAL, True, "19.71", True),
    ("Layanan PTRM (ilustrasi) Kota Pangkalpinang", ProviderType.PTRM, False, "19.71", True),
    ("Balai Besar Rehabilitasi BNN Lido", ProviderType.BALAI_BESAR_LIDO, False, "32.01", False),
]


def load(log: Callable[[str], object]) -> None:
    regencies = {r.code: r for r in Regency.objects.filter(code__in={p[3] for p in PROVIDERS})}
    made = skipped = 0
    for name, type_, ipwl, code, illustrative in PROVIDERS:
        regency = regencies.get(code)
        if regency is None:
            skipped += 1
            continue
        _provider, created = ServiceProvider.objects.get_or_create(
            regency=regency,
            name=name,
            defaults={"type": type_, "is_ipwl": ipwl, "is_demo": illustrative},
        )
        made += int(created)
    log(f"Demo service providers ready ({made} new, {skipped} skipped: regency not loaded).")
