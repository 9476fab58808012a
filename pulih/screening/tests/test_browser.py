"""The interviewer flow on a phone (360 px), in Indonesian, through a real Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from pulih.screening.models import Instrument, Screening
from pulih.testing.browser import browser_login, screenshot


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_agent_runs_assist_on_a_phone(phone: Any, world: Any, assist: Instrument) -> None:
    from pulih.clients.tests.factories import make_client

    client = make_client(world)
    page = phone
    browser_login(page, "alice")
    page.goto(f"{page.base_url}/screening/start/{client.pk}/")
    page.wait_for_selector("[data-testid=screening-start-title]")
    page.click("[data-testid=screening-begin]")

    # Q1: one checklist for every class; alcohol and ATS used.
    page.wait_for_selector("[data-step=Q1]")
    for code in "abcdefghij":
        page.check(f"input[name=c-{code}][value={'yes' if code in 'be' else 'no'}]")
    screenshot(page, "screening-q1-checklist")
    page.click("[data-testid=screening-next]")

    def answer(step: str, value: str) -> None:
        page.wait_for_selector(f"[data-step={step}]")
        page.check(f"input[name=answer][value={value}]")
        page.click("[data-testid=screening-next]")

    page.wait_for_selector("[data-step=Q2-b]")
    screenshot(page, "screening-q2-alcohol")
    answer("Q2-b", "weekly")
    answer("Q2-e", "never")  # no ATS in the past 3 months: Q3–Q5 skipped for it
    answer("Q3-b", "weekly")
    # Back once, change nothing, and carry on.
    page.wait_for_selector("[data-step=Q4-b]")
    page.click("[data-testid=screening-back]")
    page.wait_for_selector("[data-step=Q3-b]")
    assert page.is_checked("input[name=answer][value=weekly]")
    page.click("[data-testid=screening-next]")
    answer("Q4-b", "once_twice")
    answer("Q5-b", "never")
    answer("Q6-b", "recent")
    answer("Q6-e", "earlier")
    answer("Q7-b", "never")
    answer("Q7-e", "never")
    page.wait_for_selector("[data-step=Q8]")
    screenshot(page, "screening-q8")
    answer("Q8", "never")

    page.wait_for_selector("[data-testid=screening-review-title]")
    screenshot(page, "screening-review")
    page.click("[data-testid=screening-finish]")
    page.wait_for_selector("[data-testid=screening-result-title]")
    assert page.get_attribute("[data-testid=screening-pathway]", "data-pathway") == "referral"
    assert page.is_visible("[data-testid=screening-chart]")
    screenshot(page, "screening-result")

    screening = Screening.objects.get(client=client)
    alcohol = screening.results.get(class_code="b")
    assert (alcohol.score, alcohol.level) == (4 + 5 + 4 + 0 + 6 + 0, "moderate")
    assert screening.results.get(class_code="e").score == 3
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
