"""A server killed with SIGKILL in the middle of a push, then the device's retry: every record exactly once.

Runs a real ``manage.py runserver --noreload`` against the PostgreSQL test
database, kills it with ``kill -9`` while it is inside the push transaction,
restarts it and retries with the same key.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from pulih.accounts.services import token_create
from pulih.clients.models import OutreachContact
from pulih.sync.models import PushBatch
from pulih.sync.tests.factories import new_id, outreach
from pulih.testing.world import World

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs a database a second process can share"
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(port: int) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "PULIH_TEST_DB_NAME": ""}
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def _push(port: int, token: str, body: dict[str, Any], timeout: float = 60) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/sync/push",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback test server
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def _server_inside_a_transaction(pid_before: set[int]) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction') "
            "AND xact_start IS NOT NULL"
        )
        return bool(cursor.fetchone()[0])


def test_a_push_killed_midway_and_retried_stores_every_record_exactly_once(world: World) -> None:
    _, token = token_create(user=world.alice, name="HP")
    records = [outreach(notes=f"kill-test {i}") for i in range(2000)]
    body = {"key": new_id(), "device": "hp-kill", "records": records}
    ids = {r["id"] for r in records}
    port = _free_port()
    server = _start(port)
    outcome: dict[str, Any] = {}

    def send() -> None:
        try:
            outcome["status"] = _push(port, token, body)[0]
        except Exception as exc:  # the connection dies with the server
            outcome["error"] = repr(exc)

    sender = threading.Thread(target=send)
    sender.start()
    deadline = time.time() + 20
    while time.time() < deadline and not _server_inside_a_transaction(set()):
        time.sleep(0.01)
    time.sleep(0.1)  # well inside the batch (2,000 records take longer than that)
    assert outcome == {}, "the push finished before the kill: make the batch bigger"
    os.kill(server.pid, signal.SIGKILL)
    server.wait(10)
    sender.join(30)
    assert "error" in outcome
    time.sleep(0.5)  # PostgreSQL notices the dead connection and rolls its transaction back
    assert OutreachContact.objects.filter(pk__in=ids).count() == 0
    assert not PushBatch.objects.filter(key=body["key"]).exists()

    server = _start(port)
    try:
        status, result = _push(port, token, body)
        assert status == 200 and result["replayed"] is False
        assert result["counts"] == {"created": 2000}
        status, again = _push(port, token, body)
        assert status == 200 and again["replayed"] is True
    finally:
        server.kill()
        server.wait(10)
    assert OutreachContact.objects.filter(pk__in=ids).count() == 2000
    assert PushBatch.objects.filter(key=body["key"]).count() == 1
    connection.close()
