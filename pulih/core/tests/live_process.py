"""A real application server (gunicorn) for fault tests, against the test database.

The fault tests need a separate process they can kill or cut off from the
database; Django's ``live_server`` runs in the test process, so it cannot be
killed. :func:`gunicorn_server` starts ``gunicorn config.wsgi`` on a free
loopback port with the test database's URL, waits until it answers, and stops
it (and its workers) afterwards.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def server_database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] or "postgres"
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def workers(self) -> list[int]:
        """PIDs of the gunicorn workers (children of the master)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def request(
    url: str,
    *,
    method: str = "GET",
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, bytes]:
    """One HTTP request; returns (status, body), with status 0 when the connection failed."""
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310 - loopback
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0, b""


@contextlib.contextmanager
def gunicorn_server(
    tmp_path: Path, *, workers: int = 1, extra_env: dict[str, str] | None = None
) -> Iterator[Server]:
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("PULIH_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env |= {
        "DATABASE_URL": server_database_url(),
        "PULIH_QUEUE_IMMEDIATE": "1",
        "PULIH_QUEUE_URL": str(tmp_path / "queue.sqlite3"),
        "PULIH_EXPORT_DIR": str(tmp_path / "exports"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env |= extra_env or {}
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                str(GUNICORN),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "60",
                "--graceful-timeout",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 30
        while True:
            status, _body = request(server.url + "/accounts/login/", timeout=5)
            if status == 200 and len(server.workers()) == workers:
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start (status {status}):\n{server.output()}")
            time.sleep(0.2)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
