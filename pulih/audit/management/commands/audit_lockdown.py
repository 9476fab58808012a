"""Give the application's PostgreSQL role insert-only rights on the audit trail.

Pulih runs with two PostgreSQL roles:

* the **owner** (the role that runs ``manage.py migrate`` and this command):
  owns every table, creates and alters them;
* the **application role** (the one in the web servers' and workers'
  ``DATABASE_URL``): reads and writes the domain tables, but on
  ``audit_auditevent`` it may only ``SELECT`` and ``INSERT``. ``UPDATE``,
  ``DELETE`` and ``TRUNCATE`` are revoked, so even a compromised application
  cannot rewrite or erase the trail; the hash chain (``verify_audit``) shows
  any change made by the owner. The chain head ``audit_auditchainhead`` stays
  writable: every insert moves it forward.

Run it after every ``migrate`` (new tables need their grants)::

    manage.py audit_lockdown --role pulih_app            # grant + check
    manage.py audit_lockdown --role pulih_app --create   # also create the role (LOGIN, password from
                                                         # $PULIH_APP_DB_PASSWORD when set)
    manage.py audit_lockdown --role pulih_app --check    # only check; fails when the role can alter the trail
    manage.py audit_lockdown --role pulih_app --sql      # print the statements instead of running them

``scripts/pg_roles.sql`` holds the same statements for ``psql``.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from pulih.audit.models import AuditChainHead, AuditEvent

AUDIT_TABLE = AuditEvent._meta.db_table
HEAD_TABLE = AuditChainHead._meta.db_table
FORBIDDEN = ("UPDATE", "DELETE", "TRUNCATE")
REQUIRED = ("SELECT", "INSERT")


def _ident(name: str) -> str:
    return connection.ops.quote_name(name)


def lockdown_statements(role: str, *, database: str, schema: str = "public") -> list[str]:
    """The GRANT/REVOKE statements that give ``role`` what the application needs."""
    r, s, db = _ident(role), _ident(schema), _ident(database)
    audit = f"{s}.{_ident(AUDIT_TABLE)}"
    head = f"{s}.{_ident(HEAD_TABLE)}"
    return [
        f"GRANT CONNECT ON DATABASE {db} TO {r}",
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        # The domain tables: ordinary reads and writes; no TRUNCATE, REFERENCES or TRIGGER.
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        # Tables created by later migrations (run by the owner) get the same rights;
        # rerun this command after migrating so the audit table stays locked.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {r}",
        # The audit trail: append and read only.
        f"REVOKE ALL ON {audit} FROM PUBLIC",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit} FROM {r}",
        f"GRANT SELECT, INSERT ON {audit} TO {r}",
        # The chain head moves forward with every event.
        f"GRANT SELECT, INSERT, UPDATE ON {head} TO {r}",
        f"REVOKE DELETE, TRUNCATE ON {head} FROM {r}",
    ]


def audit_privileges(role: str) -> dict[str, bool]:
    """Which privileges ``role`` holds on the audit table (directly, via PUBLIC or membership)."""
    with connection.cursor() as cur:
        result = {}
        for privilege in (*REQUIRED, *FORBIDDEN):
            cur.execute("SELECT has_table_privilege(%s, %s, %s)", [role, AUDIT_TABLE, privilege])
            result[privilege] = bool(cur.fetchone()[0])
        return result


def role_problems(role: str) -> list[str]:
    """Everything that lets ``role`` change the audit trail, or stops it inserting."""
    problems = []
    with connection.cursor() as cur:
        cur.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
        row = cur.fetchone()
        if row is None:
            return [f"role {role!r} does not exist"]
        if row[0]:
            problems.append(f"role {role!r} is a superuser (privileges do not apply to it)")
        cur.execute(
            "SELECT pg_has_role(%s, tableowner, 'USAGE') FROM pg_tables WHERE tablename = %s",
            [role, AUDIT_TABLE],
        )
        owner = cur.fetchone()
        if owner and owner[0]:
            problems.append(f"role {role!r} owns (or is a member of the owner of) {AUDIT_TABLE}")
    for privilege, held in audit_privileges(role).items():
        if privilege in FORBIDDEN and held:
            problems.append(f"role {role!r} can {privilege} {AUDIT_TABLE}")
        if privilege in REQUIRED and not held:
            problems.append(f"role {role!r} cannot {privilege} {AUDIT_TABLE}")
    return problems


class Command(BaseCommand):
    help = "PostgreSQL: let the application role only SELECT and INSERT on the audit trail."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", required=True, help="the application's PostgreSQL role")
        parser.add_argument("--create", action="store_true", help="create the role (LOGIN) if missing")
        parser.add_argument("--check", action="store_true", help="only check the role's privileges")
        parser.add_argument("--sql", action="store_true", help="print the statements, run nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        role: str = options["role"]
        if connection.vendor != "postgresql":
            raise CommandError(
                "audit_lockdown needs PostgreSQL: SQLite has no roles (the embedded mode relies on "
                "file permissions and the hash chain checked by verify_audit)."
            )
        database = connection.settings_dict["NAME"]
        statements = lockdown_statements(role, database=database)
        if options["sql"]:
            self.stdout.write(";\n".join(statements) + ";")
            return
        if not options["check"]:
            with transaction.atomic(), connection.cursor() as cur:
                if options["create"]:
                    cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
                    if cur.fetchone() is None:
                        password = os.environ.get("PULIH_APP_DB_PASSWORD", "")
                        create = (
                            f"CREATE ROLE {_ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                            "NOBYPASSRLS NOREPLICATION"
                        )
                        if password:
                            cur.execute(create + " PASSWORD %s", [password])
                        else:
                            cur.execute(create)
                for statement in statements:
                    cur.execute(statement)
        problems = role_problems(role)
        if problems:
            raise CommandError("The audit trail is not locked down: " + "; ".join(problems) + ".")
        self.stdout.write(
            self.style.SUCCESS(
                f"Role {role} may SELECT and INSERT on {AUDIT_TABLE}, never UPDATE, DELETE or TRUNCATE."
            )
        )
