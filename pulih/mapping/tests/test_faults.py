"""Fault injection: an application worker killed with SIGKILL in the middle of an IKRN import.

A real gunicorn server runs against the PostgreSQL test database with the
job queue in immediate mode, so the import runs inside the upload request.
The test holds the audit chain's head row locked: the import then writes all
its rows and stops, inside its transaction, at the audit event that closes
it. Once PostgreSQL shows that backend holding a write lock on the IKRN table
and waiting for the head row, the worker is killed with ``kill -9``.

Nothing of the import may be visible afterwards (no rows, no "imported"
event, the job not marked done), the audit chain must verify, and the same
upload sent again to the restarted worker must import every row.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection, connections

from pulih.accounts.services import token_create
from pulih.audit.models import AuditEvent
from pulih.audit.services import audit_verify_chain
from pulih.core.tests.live_process import gunicorn_server, on_postgres, request
from pulih.mapping import ikrn_files
from pulih.mapping.audit_codes import MappingAction
from pulih.mapping.models import IkrnAssessment, IkrnImport, IkrnImportStatus
from pulih.regions.models import Village
from pulih.testing.world import World, build_world

pytestmark = pytest.mark.django_db(transaction=True)

YEARS = range(2017, 2025)


def _big_file(regency_prefix: str) -> tuple[bytes, int]:
    villages = list(Village.objects.filter(code__startswith=regency_prefix).values_list("code", flat=True))
    lines = [",".join([*ikrn_files.BASE_COLUMNS, "pengedar", "sumber"])]
    for code in villages:
        for year in YEARS:
            lines.append(f"{code},{year},,1,1,IKRN uji beban")
    return ("\n".join(lines) + "\n").encode(), len(lines) - 1


def _multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: text/csv\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _backend_of_import() -> dict[str, object] | None:
    """The server's backend that wrote to the IKRN table and now waits for a lock."""
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT a.pid, a.wait_event_type, a.query
              FROM pg_stat_activity a
              JOIN pg_locks l ON l.pid = a.pid AND l.granted AND l.mode = 'RowExclusiveLock'
              JOIN pg_class c ON c.oid = l.relation AND c.relname = %s
             WHERE a.pid <> pg_backend_pid() AND a.datname = current_database()
               AND a.wait_event_type = 'Lock'
            """,
            [IkrnAssessment._meta.db_table],
        )
        row = cur.fetchone()
    return {"pid": row[0], "wait": row[1], "query": row[2]} if row else None


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL only: the server process and the test must share a database server "
    "(an in-memory SQLite test database cannot be opened by another process). CI runs it on PostgreSQL.",
)
def test_a_worker_killed_mid_import_leaves_nothing_half_written_and_the_retry_imports_everything(
    regions: None, tmp_path: Path
) -> None:
    assert on_postgres()
    world: World = build_world()
    _token, raw = token_create(user=world.sam, name="fault test")
    auth = {"Authorization": f"Bearer {raw}"}
    content, rows = _big_file("15.")  # Jambi: inside sam's work area
    assert rows > 5000
    body, content_type = _multipart("ikrn-besar.csv", content)

    lock = connections.create_connection("default")  # a second connection to the test database
    with gunicorn_server(tmp_path) as server:
        [worker] = server.workers()
        lock.connect()
        lock.set_autocommit(False)

        result: dict[str, object] = {}

        def upload() -> None:
            result["status"], result["body"] = request(
                server.url + "/api/v1/mapping/ikrn/imports",
                method="POST",
                data=body,
                headers={**auth, "Content-Type": content_type},
                timeout=60,
            )

        # The upload's own "import requested" event needs the head row too, so
        # take the lock only once the job is queued and running.
        sender = threading.Thread(target=upload)
        sender.start()
        deadline = time.monotonic() + 20
        while not IkrnImport.objects.filter(status=IkrnImportStatus.RUNNING).exists():
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.005)
        with lock.cursor() as cur:
            cur.execute("SELECT last_hash FROM audit_auditchainhead WHERE id = 1 FOR UPDATE")
        backend = None
        while backend is None:
            assert time.monotonic() < deadline, "the import never reached its audit event"
            backend = _backend_of_import()
            time.sleep(0.01)
        assert "audit_auditchainhead" in str(backend["query"])

        os.kill(worker, signal.SIGKILL)
        lock.rollback()  # let the orphaned backend go on: it must not commit anything
        lock.close()
        sender.join(timeout=30)
        assert result["status"] in (0, 502), result  # the client saw the connection drop
        # Gunicorn's master starts a new worker.
        deadline = time.monotonic() + 20
        while not server.workers() or server.workers() == [worker]:
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.1)
        # PostgreSQL ends the dead worker's session and rolls its transaction back.
        with connection.cursor() as cur:
            while True:
                cur.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [int(str(backend["pid"]))]
                )
                if cur.fetchone()[0] == 0:
                    break
                assert time.monotonic() < deadline, "the killed worker's backend lingers"
                time.sleep(0.1)

        killed = IkrnImport.objects.get()
        assert killed.status != IkrnImportStatus.DONE
        assert IkrnAssessment.objects.count() == 0
        assert not AuditEvent.objects.filter(action=MappingAction.IKRN_IMPORTED).exists()
        assert audit_verify_chain().ok

        # The retry, against the restarted worker, imports every row exactly once.
        status, answer = request(
            server.url + "/api/v1/mapping/ikrn/imports",
            method="POST",
            data=body,
            headers={**auth, "Content-Type": content_type},
            timeout=60,
        )
        assert status == 202, (status, answer[:500], server.output())
        job = IkrnImport.objects.get(pk=json.loads(answer)["id"])
        assert job.status == IkrnImportStatus.DONE, job.errors[:3]
        assert job.rows_imported == rows
        assert IkrnAssessment.objects.count() == rows
        assert IkrnAssessment.objects.filter(import_batch=job).count() == rows
        assert AuditEvent.objects.filter(action=MappingAction.IKRN_IMPORTED).count() == 1
        assert audit_verify_chain().ok
