"""The application's PostgreSQL role can append to the audit trail, never rewrite it.

These tests create a real login role in the test cluster, lock it down with
``manage.py audit_lockdown`` (or ``scripts/pg_roles.sql``), then connect *as
that role* — a separate connection, not ``SET ROLE`` — and try every way of
changing the trail. SQLite has no roles, so they are skipped there; CI runs
them on PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from pulih.audit.codes import AuthAction
from pulih.audit.models import AuditEvent
from pulih.audit.services import audit_record

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="PostgreSQL only: SQLite has no roles or grants (CI runs this on PostgreSQL).",
    ),
]


def _connect_as(role: str) -> Any:
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=int(settings["PORT"] or 5432),
        dbname=settings["NAME"],
        user=role,
        autocommit=True,
    )


def _drop_role(role: str) -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cur.fetchone() is None:
            return
        cur.execute(f'DROP OWNED BY "{role}"')
        cur.execute(f'DROP ROLE "{role}"')


@pytest.fixture
def app_role(regions: None) -> Iterator[str]:
    role = f"pulih_app_test_{uuid.uuid4().hex[:8]}"
    try:
        yield role
    finally:
        _drop_role(role)


def _seed_event() -> AuditEvent:
    return audit_record(action=AuthAction.LOGIN, object_type="test", object_id="seed")


def _assert_trail_is_insert_only(role: str) -> None:
    from psycopg import errors

    seed = _seed_event()
    with _connect_as(role) as conn, conn.cursor() as cur:
        cur.execute("SELECT current_user, count(*) FROM audit_auditevent")
        user, count = cur.fetchone()
        assert user == role
        assert count >= 1
        cur.execute(
            "INSERT INTO audit_auditevent (at, actor_username, actor_role, device, action, action_name, "
            "object_type, object_id, identified, purpose, detail, prev_hash, hash) VALUES "
            "(now(), 'lockdown-test', '', '', 1, 'test', 'test', 'x', false, '', '{}', %s, %s)",
            ["0" * 64, uuid.uuid4().hex * 2],
        )
        cur.execute("UPDATE audit_auditchainhead SET count = count WHERE id = 1")
        for sql in (
            "UPDATE audit_auditevent SET actor_username = 'forged' WHERE id = %s",
            "DELETE FROM audit_auditevent WHERE id = %s",
        ):
            with pytest.raises(errors.InsufficientPrivilege):
                cur.execute(sql, [seed.pk])
        with pytest.raises(errors.InsufficientPrivilege):
            cur.execute("TRUNCATE audit_auditevent")
        with pytest.raises(errors.InsufficientPrivilege):
            cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL")
        # The role can still do its ordinary work on the domain tables.
        cur.execute("UPDATE accounts_user SET full_name = full_name WHERE false")
    seed.refresh_from_db()
    assert seed.actor_username == ""
    assert AuditEvent.objects.filter(actor_username="lockdown-test").count() == 1


def test_the_locked_down_role_can_insert_audit_events_but_never_update_delete_or_truncate(
    app_role: str,
) -> None:
    call_command("audit_lockdown", role=app_role, create=True)
    _assert_trail_is_insert_only(app_role)


def test_the_application_writes_and_verifies_the_trail_when_connected_as_the_locked_down_role(
    app_role: str,
) -> None:
    call_command("audit_lockdown", role=app_role, create=True)
    _seed_event()
    settings = connection.settings_dict
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    url = f"postgres://{app_role}@{host}:{port}/{settings['NAME']}"
    code = (
        "from django.db import ProgrammingError\n"
        "from pulih.audit.codes import AuthAction\n"
        "from pulih.audit.models import AuditEvent\n"
        "from pulih.audit.services import audit_record, audit_verify_chain\n"
        "event = audit_record(action=AuthAction.LOGIN, object_type='test', object_id='as-app')\n"
        "assert audit_verify_chain().ok\n"
        "try:\n"
        "    AuditEvent.objects.filter(pk=event.pk).update(actor_username='forged')\n"
        "except ProgrammingError as exc:\n"
        "    print('UPDATE refused:', type(exc.__cause__).__name__)\n"
        "try:\n"
        "    AuditEvent.objects.filter(pk=event.pk).delete()\n"
        "except ProgrammingError as exc:\n"
        "    print('DELETE refused:', type(exc.__cause__).__name__)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULIH_")}
    env |= {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "UPDATE refused: InsufficientPrivilege" in result.stdout
    assert "DELETE refused: InsufficientPrivilege" in result.stdout
    event = AuditEvent.objects.get(object_id="as-app")
    assert event.actor_username == ""
    call_command("verify_audit")


def test_the_check_fails_for_a_role_that_can_alter_the_trail(app_role: str) -> None:
    call_command("audit_lockdown", role=app_role, create=True)
    with connection.cursor() as cur:
        cur.execute(f'GRANT DELETE ON audit_auditevent TO "{app_role}"')
    with pytest.raises(CommandError, match="can DELETE audit_auditevent"):
        call_command("audit_lockdown", role=app_role, check=True)
    # Running the lockdown again repairs it.
    call_command("audit_lockdown", role=app_role)
    call_command("audit_lockdown", role=app_role, check=True)


def test_the_psql_script_locks_the_trail_down_the_same_way(app_role: str) -> None:
    settings = connection.settings_dict
    with connection.cursor() as cur:
        cur.execute(f'CREATE ROLE "{app_role}" LOGIN')
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [
            "/usr/bin/psql",
            "-h",
            settings["HOST"] or "127.0.0.1",
            "-p",
            str(settings["PORT"] or 5432),
            "-U",
            settings["USER"] or "postgres",
            "-d",
            settings["NAME"],
            "-v",
            "ON_ERROR_STOP=1",
            "-v",
            f"app_role={app_role}",
            "-f",
            str(ROOT / "scripts" / "pg_roles.sql"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    call_command("audit_lockdown", role=app_role, check=True)
    _assert_trail_is_insert_only(app_role)
