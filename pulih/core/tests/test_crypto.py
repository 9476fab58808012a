from __future__ import annotations

from typing import Any

import pytest

from pulih.core import crypto


def test_encrypted_values_read_back_and_never_repeat() -> None:
    token_a = crypto.encrypt("Budi Santoso")
    token_b = crypto.encrypt("Budi Santoso")
    assert token_a != token_b
    assert "Budi" not in token_a
    assert crypto.decrypt(token_a) == crypto.decrypt(token_b) == "Budi Santoso"


def test_a_tampered_value_is_refused() -> None:
    token = crypto.encrypt("3271010101900001")
    broken = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(broken)


def test_keys_rotate_without_losing_data(settings: Any) -> None:
    old_key, new_key = crypto.generate_key(), crypto.generate_key()
    settings.PULIH_FIELD_KEYS = [old_key]
    token = crypto.encrypt("rahasia")
    settings.PULIH_FIELD_KEYS = [new_key, old_key]
    assert crypto.decrypt(token) == "rahasia"
    rotated = crypto.rotate(token)
    settings.PULIH_FIELD_KEYS = [new_key]
    assert crypto.decrypt(rotated) == "rahasia"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_a_value_encrypted_under_an_unknown_key_cannot_be_read(settings: Any) -> None:
    settings.PULIH_FIELD_KEYS = [crypto.generate_key()]
    token = crypto.encrypt("x")
    settings.PULIH_FIELD_KEYS = [crypto.generate_key()]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_blind_index_matches_equal_values_regardless_of_case_and_spacing() -> None:
    a = crypto.blind_index(" Budi  SANTOSO ", purpose="name")
    b = crypto.blind_index("budi santoso", purpose="name")
    assert a == b
    assert len(a) == 64
    assert crypto.blind_index("budi santoso", purpose="alias") != a
    assert crypto.blind_index("budi santosa", purpose="name") != a


def test_blind_index_depends_on_the_secret_key(settings: Any) -> None:
    before = crypto.blind_index("3271010101900001", purpose="nik")
    settings.PULIH_BLIND_INDEX_KEY = "another-key"
    assert crypto.blind_index("3271010101900001", purpose="nik") != before


def test_the_encrypted_field_stores_ciphertext_and_returns_plaintext() -> None:
    field = crypto.EncryptedTextField()
    stored = field.get_prep_value("Siti")
    assert stored is not None and stored != "Siti"
    assert field.from_db_value(stored, None, None) == "Siti"
    assert field.get_prep_value("") == ""
    assert field.get_prep_value(None) is None
