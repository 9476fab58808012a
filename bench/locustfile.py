"""Sustained load: agents and supervisors on the loopback topology (scripts/topology.sh).

The users are the generated logins of ``manage.py generate_data --password …``
(agents ``syn-aNNNNN-K``, supervisors ``syn-sPP``, national staff ``syn-national``).
Four agents for every supervisor. An agent's device restores once when the
user starts (a full pull), then syncs the changes since its last pull, as the
field app does (``pulih/sync/PROTOCOL.md``). Every request is checked (status 200 and
the page it should be; redirects are not followed, so being sent to the login
page is a failure), so an error page counts as a failure.

The users are ``FastHttpUser`` (geventhttpclient): the load generator shares
the two cores with what it measures, and the ``requests``-based ``HttpUser``
spent several times the CPU per request that the fast client does.

    LOCUST_PASSWORD=synthetic-load-test .venv/bin/locust -f bench/locustfile.py --headless \
        -u 50 -r 5 -t 10m --host http://127.0.0.1:8100 --csv var/locust
"""

from __future__ import annotations

import json
import os
import random
import re
from urllib.parse import quote

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

PASSWORD = os.environ.get("LOCUST_PASSWORD", "synthetic-load-test")
UNITS = int(os.environ.get("LOCUST_UNITS", "150"))
FULL_RESTORES = os.environ.get("LOCUST_FULL_RESTORES", "") == "1"
PROVINCES = os.environ.get("LOCUST_PROVINCES", "").split(",") if os.environ.get("LOCUST_PROVINCES") else []
CLIENT_LINK = re.compile(r"/clients/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class PulihUser(FastHttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def login(self) -> None:
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text or "")
        assert token, "no CSRF token on the login page"
        with self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            where = response.headers.get("Location", "") if response.headers else ""
            if response.status_code != 302 or "/accounts/login/" in where:
                response.failure(f"login failed for {self.username} ({response.status_code})")

    def page(self, url: str, name: str, must: str = "") -> str:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            text = response.text or ""
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif must and must not in text:
                response.failure(f"missing {must!r}")
            return text


class Agent(PulihUser):
    weight = 4

    def on_start(self) -> None:
        unit = random.randint(1, UNITS)
        self.username = f"syn-a{unit:05d}-{random.randint(2, 5)}"
        self.login()
        self.clients: list[str] = []
        self.cursor = ""
        self.restore()  # the field app's first sync on this device: a full restore

    @task(5)
    def client_list(self) -> None:
        html = self.page("/clients/", "agent: client list")
        self.clients = CLIENT_LINK.findall(html) or self.clients

    @task(4)
    def client_record(self) -> None:
        if not self.clients:
            self.client_list()
        if self.clients:
            self.page(f"/clients/{random.choice(self.clients)}/", "agent: client record")

    @task(2)
    def worklist(self) -> None:
        self.page("/clients/worklist/", "agent: work list")

    @task(1)
    def home(self) -> None:
        self.page("/", "agent: home")

    def restore(self) -> None:
        self.pull("agent: offline restore", "")

    @task(1)
    def sync(self) -> None:
        """The field app's periodic sync: the changes since its last pull (PROTOCOL.md).

        ``LOCUST_FULL_RESTORES=1`` makes every sync a full restore instead (the
        session-3 workload, for comparison).
        """
        if FULL_RESTORES:
            self.restore()
        else:
            self.pull("agent: sync (changes since the last pull)", self.cursor)

    def pull(self, name: str, cursor: str) -> None:
        headers = {"Accept-Encoding": "gzip"}
        url = "/api/v1/sync/pull" + (f"?cursor={quote(cursor)}" if cursor else "")
        with self.client.get(url, name=name, headers=headers, allow_redirects=False,
                             catch_response=True) as response:  # fmt: skip
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return
            try:
                self.cursor = json.loads(response.text or "{}").get("cursor", "") or self.cursor
            except ValueError:
                response.failure("not JSON")


class Supervisor(PulihUser):
    weight = 1

    def on_start(self) -> None:
        self.username = f"syn-s{random.choice(PROVINCES)}" if PROVINCES else "syn-national"
        self.login()

    @task(4)
    def dashboard(self) -> None:
        self.page("/reports/", "supervisor: dashboard")

    @task(2)
    def monthly_reports(self) -> None:
        self.page("/reports/monthly/", "supervisor: monthly reports")

    @task(1)
    def indicators(self) -> None:
        self.page("/reports/indicators/", "supervisor: indicators")

    @task(1)
    def referrals(self) -> None:
        if self.username != "syn-national":  # national staff do not read referrals (403 by design)
            self.page("/referrals/", "supervisor: referrals")
