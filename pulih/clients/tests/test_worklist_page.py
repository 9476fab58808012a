"""The work list page shows a page of items, overdue first, with a pager."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from pulih.clients import views, worklist
from pulih.testing.world import World

pytestmark = pytest.mark.django_db


def test_a_long_work_list_is_paged_overdue_first(world: World, as_user: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    today = date.today()

    def many(user: Any, on: date) -> list[worklist.WorkItem]:
        return [
            worklist.WorkItem(today + timedelta(days=i - 2), i < 2, f"Tugas {i}", "/clients/", f"K-{i:03d}")
            for i in range(5)
        ]

    monkeypatch.setattr(worklist, "_PROVIDERS", [many])
    monkeypatch.setattr(views, "WORKLIST_PAGE", 2)
    page = as_user(world.alice)
    first = page.get("/clients/worklist/")
    html = first.content.decode()
    assert first.status_code == 200
    assert [i.client_code for i in first.context["page"].object_list] == ["K-000", "K-001"]
    assert 'rel="next"' in html and "K-002" not in html
    last = page.get("/clients/worklist/?page=3").content.decode()
    assert "K-004" in last and 'rel="prev"' in last and "K-000" not in last
