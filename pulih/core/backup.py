"""Backups and restores of the whole database, optionally encrypted.

* SQLite: the online backup API (consistent while the app keeps writing).
* PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore``.
* Encryption (optional): AES-256-GCM in 1 MiB chunks with a key from
  ``PULIH_BACKUP_KEY`` (32 bytes, base64). Each chunk has its own nonce and
  tag, and the chunk index and "last chunk" flag are authenticated, so a
  truncated, reordered or altered file is refused rather than restored.

:func:`database_fingerprint` (row count and checksum per table) lets a test or
an operator compare a restored database with its source.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import connections

MAGIC = b"PULIHBK1"
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def backup_key() -> bytes:
    raw = getattr(settings, "PULIH_BACKUP_KEY", "") or os.environ.get("PULIH_BACKUP_KEY", "")
    if not raw:
        raise BackupError("Set PULIH_BACKUP_KEY (32 random bytes, base64) to encrypt or decrypt backups.")
    key = base64.urlsafe_b64decode(raw.encode())
    if len(key) != 32:
        raise BackupError("PULIH_BACKUP_KEY must decode to exactly 32 bytes.")
    return key


def generate_backup_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def _aad(index: int, last: bool) -> bytes:
    return MAGIC + struct.pack(">Q?", index, last)


def encrypt_stream(src: BinaryIO, dst: BinaryIO, key: bytes) -> None:
    aead = AESGCM(key)
    dst.write(MAGIC)
    index = 0
    chunk = src.read(CHUNK)
    while True:
        following = src.read(CHUNK)
        last = not following
        nonce = os.urandom(12)
        sealed = aead.encrypt(nonce, chunk, _aad(index, last))
        dst.write(struct.pack(">I", len(sealed)) + nonce + sealed)
        if last:
            return
        chunk, index = following, index + 1


def decrypt_stream(src: BinaryIO, dst: BinaryIO, key: bytes) -> None:
    aead = AESGCM(key)
    if src.read(len(MAGIC)) != MAGIC:
        raise BackupError("Not an encrypted Pulih backup.")
    index = 0
    while True:
        header = src.read(4)
        if len(header) < 4:
            raise BackupError("The backup is truncated.")
        (length,) = struct.unpack(">I", header)
        nonce = src.read(12)
        sealed = src.read(length)
        peek = src.read(1)
        last = not peek
        try:
            dst.write(aead.decrypt(nonce, sealed, _aad(index, last)))
        except Exception as exc:
            raise BackupError("The backup was altered, truncated or the key is wrong.") from exc
        if last:
            return
        src.seek(-1, os.SEEK_CUR)
        index += 1


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client).")
    return path


def _vendor(alias: str) -> str:
    return connections[alias].vendor


def _pg_env(alias: str) -> tuple[list[str], dict[str, str]]:
    cfg = connections[alias].settings_dict
    env = dict(os.environ)
    if cfg.get("PASSWORD"):
        env["PGPASSWORD"] = str(cfg["PASSWORD"])
    args = ["-h", str(cfg.get("HOST") or "127.0.0.1"), "-p", str(cfg.get("PORT") or 5432)]
    if cfg.get("USER"):
        args += ["-U", str(cfg["USER"])]
    return args, env


def _dump_plain(alias: str, target: Path) -> None:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            connection.connection.backup(dest)
        finally:
            dest.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_env(alias)
        name = str(connection.settings_dict["NAME"])
        subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--file", str(target), name],
            check=True,
            env=env,
            capture_output=True,
        )
    else:
        raise BackupError(f"Backups are not supported for {connection.vendor}.")


def backup_create(*, target: Path, encrypt: bool = False, alias: str = "default") -> Path:
    """Write a consistent backup of the database to ``target``."""
    target = Path(target)
    if not encrypt:
        _dump_plain(alias, target)
        return target
    key = backup_key()
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "plain"
        _dump_plain(alias, plain)
        with plain.open("rb") as src, target.open("wb") as dst:
            encrypt_stream(src, dst, key)
    return target


def backup_restore(*, source: Path, alias: str = "default", database: str | None = None) -> None:
    """Restore ``source`` into the database ``alias`` (or the named one).

    SQLite: ``database`` is the file to write. PostgreSQL: ``database`` is an
    existing, empty database name (default: the alias's database, whose
    objects are replaced with ``--clean``).
    """
    source = Path(source)
    with tempfile.TemporaryDirectory() as tmp:
        with source.open("rb") as fh:
            encrypted = fh.read(len(MAGIC)) == MAGIC
        plain = source
        if encrypted:
            plain = Path(tmp) / "plain"
            with source.open("rb") as src, plain.open("wb") as dst:
                decrypt_stream(src, dst, backup_key())
        vendor = _vendor(alias)
        if vendor == "sqlite":
            target = database or str(connections[alias].settings_dict["NAME"])
            src_db = sqlite3.connect(plain)
            try:
                dest = sqlite3.connect(target)
                try:
                    src_db.backup(dest)
                finally:
                    dest.close()
            finally:
                src_db.close()
        elif vendor == "postgresql":
            args, env = _pg_env(alias)
            name = database or str(connections[alias].settings_dict["NAME"])
            extra = [] if database else ["--clean", "--if-exists"]
            subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                [_tool("pg_restore"), *args, "--no-owner", *extra, "--dbname", name, str(plain)],
                check=True,
                env=env,
                capture_output=True,
            )
        else:
            raise BackupError(f"Restores are not supported for {vendor}.")


def _rows_digest(cursor: Any, table: str, quote: Any) -> tuple[int, str]:
    cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - table names from introspection
    rows = [tuple("" if v is None else str(v) for v in row) for row in cursor.fetchall()]
    rows.sort()
    digest = hashlib.sha256()
    for row in rows:
        digest.update("\x1f".join(row).encode() + b"\x1e")
    return len(rows), digest.hexdigest()


def fingerprint_sqlite_file(path: str) -> dict[str, tuple[int, str]]:
    # A plain connection (no type converters), so values hash as stored.
    conn = sqlite3.connect(path, uri=path.startswith("file:"))
    try:
        cur = conn.cursor()
        cur.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        tables = sorted(r[0] for r in cur.fetchall())
        return {t: _rows_digest(cur, t, lambda n: '"' + n.replace('"', '""') + '"') for t in tables}
    finally:
        conn.close()


def database_fingerprint(alias: str = "default") -> dict[str, tuple[int, str]]:
    """Row count and an order-independent checksum of every table."""
    connection = connections[alias]
    if connection.vendor == "sqlite":
        return fingerprint_sqlite_file(str(connection.settings_dict["NAME"]))
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        return {t: _rows_digest(cursor, t, connection.ops.quote_name) for t in tables}
