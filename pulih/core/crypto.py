"""Field encryption and blind indexes for identified data.

* :func:`encrypt` / :func:`decrypt` use Fernet (AES-128-CBC + HMAC-SHA256,
  authenticated) through ``MultiFernet``: the first key in
  ``settings.PULIH_FIELD_KEYS`` encrypts, every key decrypts, so keys rotate by
  putting a new key first and re-encrypting (:func:`rotate`).
* :func:`blind_index` is a keyed HMAC-SHA256 of a normalised value: equal
  inputs give equal indexes, so an exact-match lookup (for example a duplicate
  NIK) works without decrypting anything and without revealing the value.

Keys come from the environment, never from the database.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


class DecryptionError(Exception):
    pass


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise DecryptionError("No field encryption key configured (PULIH_FIELD_KEYS).")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.PULIH_FIELD_KEYS))


def encrypt(plaintext: str) -> str:
    return _current().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise DecryptionError("Encrypted value cannot be read with the configured keys.") from exc


def rotate(token: str) -> str:
    """Re-encrypt ``token`` under the current primary key."""
    try:
        return _current().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise DecryptionError("Encrypted value cannot be read with the configured keys.") from exc


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def normalise(value: str) -> str:
    """Case-, accent- and whitespace-insensitive form used by blind indexes."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed hash for exact-match search on an encrypted value.

    ``purpose`` separates domains (a NIK and a phone number with the same
    digits must not collide).
    """
    key = settings.PULIH_BLIND_INDEX_KEY.encode("utf-8")
    message = f"{purpose}\x00{normalise(value)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; reads and writes plaintext in Python.

    The ciphertext is random per write, so the column cannot be filtered on:
    pair it with a blind index column for exact-match lookups.
    """

    description = "Text encrypted at rest"

    def from_db_value(self, value: str | None, expression: object, connection: object) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: object) -> str | None:
        prepared = super().get_prep_value(value)
        if prepared is None or prepared == "":
            return prepared
        return encrypt(str(prepared))
