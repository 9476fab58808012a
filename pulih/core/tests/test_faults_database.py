"""Fault injection: PostgreSQL restarts while requests are running.

A real gunicorn server (two workers, persistent database connections so that
``CONN_HEALTH_CHECKS`` matters) serves a steady stream of reads and writes
while ``pg_ctlcluster … restart`` restarts the database server. Requests
caught by the restart may fail — with a clean 500, not a hang — but the same
workers (no application restart) must serve every request again once
PostgreSQL is back, and nothing may be half-written: each write that answered
201 exists with its audit event, no write exists without one, and the audit
chain verifies.

This restarts the PostgreSQL cluster that the test database lives on, so it
runs only where that is possible (root, a local Debian cluster); CI runs it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from pulih.accounts.models import ApiToken
from pulih.accounts.services import token_create
from pulih.audit.codes import AdminAction
from pulih.audit.models import AuditEvent
from pulih.audit.services import audit_verify_chain
from pulih.core.tests.live_process import gunicorn_server, request
from pulih.testing.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)

PG_CTLCLUSTER = shutil.which("pg_ctlcluster")
CLUSTERS = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
NAME_PREFIX = "restart-probe-"


def _pg_ready() -> bool:
    return (
        subprocess.run(["/usr/bin/pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False).returncode
        == 0
    )


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL only: it restarts the database server (CI runs it on PostgreSQL).",
)
@pytest.mark.skipif(
    os.geteuid() != 0 or PG_CTLCLUSTER is None or not CLUSTERS,
    reason="needs root and a local Debian PostgreSQL cluster (pg_ctlcluster) to restart",
)
def test_the_app_recovers_from_a_postgresql_restart_without_restarting_itself(
    regions: None, tmp_path: Path
) -> None:
    world = build_world()
    _token, raw = token_create(user=world.carol, name="restart test")
    auth = {"Authorization": f"Bearer {raw}", "Content-Type": "application/json"}
    results: list[tuple[float, str, int, bytes]] = []
    stop = threading.Event()

    with gunicorn_server(tmp_path, workers=2, extra_env={"PULIH_DB_CONN_MAX_AGE": "600"}) as server:
        workers_before = sorted(server.workers())

        def traffic(kind: str) -> None:
            n = 0
            while not stop.is_set():
                n += 1
                if kind == "write":
                    body = json.dumps({"name": f"{NAME_PREFIX}{threading.get_ident()}-{n}"}).encode()
                    status, answer = request(
                        server.url + "/api/v1/accounts/tokens",
                        method="POST",
                        data=body,
                        headers=auth,
                        timeout=15,
                    )
                else:
                    status, answer = request(server.url + "/api/v1/accounts/me", headers=auth, timeout=15)
                results.append((time.monotonic(), kind, status, answer))
                time.sleep(0.02)

        threads = [threading.Thread(target=traffic, args=(k,)) for k in ("read", "write", "read")]
        for t in threads:
            t.start()
        try:
            time.sleep(1.0)  # every worker holds a persistent connection by now
            assert any(s == 200 for _t, k, s, _b in results if k == "read")
            restart_started = time.monotonic()
            subprocess.run(  # noqa: S603 - fixed arguments
                [
                    str(PG_CTLCLUSTER),
                    "--skip-systemctl-redirect",
                    CLUSTERS[-1],
                    "main",
                    "restart",
                    "-m",
                    "fast",
                ],
                check=True,
                capture_output=True,
                timeout=60,
            )
            restarted = time.monotonic()
            # Requests keep coming; from now on they must all succeed again.
            time.sleep(3.0)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=30)
            deadline = time.monotonic() + 30
            while not _pg_ready() and time.monotonic() < deadline:
                time.sleep(0.5)
        connection.close()  # the test's own connection died with the restart

        assert sorted(server.workers()) == workers_before, "the application had to restart its workers"
        during = [r for r in results if restart_started <= r[0] <= restarted + 0.5]
        after = [r for r in results if r[0] > restarted + 0.5]
        assert during, "no request was running during the restart"
        assert len(after) >= 20
        failures_after = [(k, s, b[:200]) for _t, k, s, b in after if s not in (200, 201)]
        assert not failures_after, failures_after
        # Requests hit by the restart fail cleanly: a server error page, never a hang or a dropped connection.
        assert {s for _t, _k, s, _b in during} <= {200, 201, 500, 503}, {s for _t, _k, s, _b in during}

        # Nothing half-written: each 201 is a stored token with its audit event, and no other token exists.
        answered = {json.loads(b)["id"] for _t, k, s, b in results if k == "write" and s == 201}
        stored = set(ApiToken.objects.filter(name__startswith=NAME_PREFIX).values_list("pk", flat=True))
        assert answered and answered == stored
        audited = AuditEvent.objects.filter(
            action=AdminAction.TOKEN_CREATED, object_id__in=[str(pk) for pk in stored]
        ).count()
        assert audited == len(stored)
        assert audit_verify_chain().ok
