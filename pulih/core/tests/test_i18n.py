"""Both languages are complete: every Indonesian catalogue is fully translated and compiled."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
import pytest

ROOT = Path(__file__).resolve().parents[3]
CATALOGUES = sorted(ROOT.glob("pulih/*/locale/id/LC_MESSAGES/django.po"))


def test_there_are_indonesian_catalogues() -> None:
    assert len(CATALOGUES) >= 6


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_indonesian_entry_is_translated_and_not_fuzzy(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{po_path}: untranslated {untranslated[:10]}"
    assert not fuzzy, f"{po_path}: fuzzy {fuzzy[:10]}"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_catalogue_is_compiled_and_up_to_date(po_path: Path) -> None:
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"run compilemessages for {po_path}"
    po = {
        e.msgid: e.msgstr or e.msgstr_plural.get(0, "") for e in polib.pofile(str(po_path)) if not e.obsolete
    }
    mo = {e.msgid: e.msgstr or e.msgstr_plural.get(0, "") for e in polib.mofile(str(mo_path))}
    stale = [k for k, v in po.items() if mo.get(k) != v]
    assert not stale, f"{mo_path} is older than its .po: {stale[:5]}"


@pytest.mark.django_db
def test_pages_speak_indonesian_by_default_and_english_on_request(client: Any) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert "Masuk ke Pulih" in page
    assert 'lang="id"' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in to Pulih" in page
