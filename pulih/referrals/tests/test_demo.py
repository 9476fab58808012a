from __future__ import annotations

import pytest

from pulih.referrals import demo
from pulih.referrals.models import ServiceProvider

pytestmark = pytest.mark.django_db


def test_the_demo_loader_is_idempotent_and_skips_regencies_that_are_not_loaded(regions: None) -> None:
    lines: list[str] = []
    demo.load(lines.append)
    demo.load(lines.append)
    providers = ServiceProvider.objects.all()
    # The test data holds provinces 15 and 19 only: Lido (Kabupaten Bogor, 32.01) is skipped.
    assert providers.count() == len(demo.PROVIDERS) - 1
    assert not providers.filter(regency_id="32.01").exists()
    assert all(p.is_demo and "ilustrasi" in p.name for p in providers)
    assert "0 new" in lines[1]
