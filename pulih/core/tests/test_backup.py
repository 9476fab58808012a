"""Backups restore into a fresh database with identical row counts and checksums."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from pulih.audit.codes import AuthAction
from pulih.audit.services import audit_record
from pulih.core.backup import (
    BackupError,
    backup_create,
    backup_restore,
    database_fingerprint,
    fingerprint_sqlite_file,
    generate_backup_key,
)
from pulih.testing.world import World


def _pg_fingerprint(dbname: str) -> dict[str, tuple[int, str]]:
    import hashlib

    cfg = connection.settings_dict
    conninfo = f"host={cfg['HOST'] or '127.0.0.1'} port={cfg['PORT'] or 5432} user={cfg['USER']} dbname={dbname}"
    out: dict[str, tuple[int, str]] = {}
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        for (table,) in cur.fetchall():
            cur.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the catalogue
            rows = sorted(tuple("" if v is None else str(v) for v in row) for row in cur.fetchall())
            digest = hashlib.sha256()
            for row in rows:
                digest.update("\x1f".join(row).encode() + b"\x1e")
            out[table] = (len(rows), digest.hexdigest())
    return out


def _restore_and_fingerprint(source: Path, tmp_path: Path) -> dict[str, tuple[int, str]]:
    if connection.vendor == "sqlite":
        tmp_path.mkdir(parents=True, exist_ok=True)
        target = tmp_path / "restored.sqlite3"
        backup_restore(source=source, database=str(target))
        return fingerprint_sqlite_file(str(target))
    name = f"pulih_restore_{uuid.uuid4().hex[:10]}"
    cfg = connection.settings_dict
    admin = f"host={cfg['HOST'] or '127.0.0.1'} port={cfg['PORT'] or 5432} user={cfg['USER']} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        backup_restore(source=source, database=name)
        return _pg_fingerprint(name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


# Transactional: a backup reads committed data, as in production.
@pytest.mark.django_db(transaction=True)
def test_backups_restore_identically_and_refuse_tampering_or_a_wrong_key(
    world: World, tmp_path: Path, settings: Any
) -> None:
    settings.PULIH_BACKUP_KEY = generate_backup_key()
    audit_record(action=AuthAction.LOGIN, actor=world.alice)
    before = database_fingerprint()
    assert before["regions_village"][0] > 0
    assert before["audit_auditevent"][0] > 0

    plain = backup_create(target=tmp_path / "plain.bak")
    assert _restore_and_fingerprint(plain, tmp_path / "a") == before

    sealed = backup_create(target=tmp_path / "sealed.bak", encrypt=True)
    assert b"Pulau Kayu Aro" not in sealed.read_bytes()
    assert _restore_and_fingerprint(sealed, tmp_path / "b") == before

    data = bytearray(sealed.read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / "altered.bak").write_bytes(bytes(data))
    with pytest.raises(BackupError):
        backup_restore(source=tmp_path / "altered.bak", database=str(tmp_path / "x.sqlite3"))
    (tmp_path / "truncated.bak").write_bytes(bytes(data[:-100]))
    with pytest.raises(BackupError):
        backup_restore(source=tmp_path / "truncated.bak", database=str(tmp_path / "y.sqlite3"))
    settings.PULIH_BACKUP_KEY = generate_backup_key()
    with pytest.raises(BackupError):
        backup_restore(source=sealed, database=str(tmp_path / "z.sqlite3"))
