"""The interviewer's pages, driven like a phone would: one step per request."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from pulih.screening.models import Instrument, Screening, ScreeningStatus
from pulih.screening.tests.builders import assist_answers


def _post_for(step: dict[str, Any], answers: dict[str, Any]) -> dict[str, str]:
    data = {"step": step["key"]}
    code = step["code"]
    if step["kind"] in {"checklist", "probe"}:
        for row in step["rows"]:
            klass = row.field.removeprefix("c-")
            data[row.field] = answers[code][klass]
    else:
        given = answers[code]
        klass = step["key"].split("-", 1)[1] if "-" in step["key"] else None
        data["answer"] = given[klass] if klass else given
    return data


def interview(http: Any, screening: Screening, answers: dict[str, Any]) -> list[str]:
    """Answer each step the pages show; return the step keys seen, in order."""
    url = reverse("screening:interview", kwargs={"pk": screening.pk})
    seen: list[str] = []
    response = http.get(url)
    for _ in range(60):
        assert response.status_code == 200
        if "step" not in response.context:
            return seen
        step = response.context["step"]
        seen.append(step["key"])
        response = http.post(url, _post_for(step, answers), follow=True)
    raise AssertionError("the interview did not end")


@pytest.mark.django_db
def test_an_agent_screens_a_client_step_by_step(
    world: Any, as_user: Any, client_ka: Any, assist: Instrument
) -> None:
    http = as_user(world.alice)
    start = reverse("screening:start", kwargs={"client_id": client_ka.pk})
    page = http.get(start)
    assert page.status_code == 200
    response = http.post(start, {"instrument": assist.pk, "purpose": "initial"})
    screening = Screening.objects.get(client=client_ka)
    assert response.status_code == 302
    assert response["Location"] == reverse("screening:interview", kwargs={"pk": screening.pk})

    from pulih.screening.loading import spec_for

    answers = assist_answers(
        spec_for(assist),
        {
            "a": {"Q2": "daily", "Q3": "daily", "Q4": "never", "Q6": "never", "Q7": "recent"},
            "e": {"Q2": "never", "Q6": "earlier", "Q7": "never"},
        },
        q8="recent",
    )
    seen = interview(http, screening, answers)
    assert seen == ["Q1", "Q2-a", "Q2-e", "Q3-a", "Q4-a", "Q6-a", "Q6-e", "Q7-a", "Q7-e", "Q8"]

    review = http.get(reverse("screening:interview", kwargs={"pk": screening.pk}))
    assert review.context["rows"][0]["answer"] == "Produk tembakau, Stimulan jenis amfetamin"
    finished = http.post(reverse("screening:finish", kwargs={"pk": screening.pk}), follow=True)
    screening.refresh_from_db()
    assert screening.status == ScreeningStatus.COMPLETED
    assert screening.results.get(class_code="a").score == 6 + 6 + 0 + 0 + 6
    assert screening.pathway == "referral" and screening.injecting == "recent"
    html = finished.content.decode()
    assert 'data-testid="screening-chart"' in html
    assert 'data-pathway="referral"' in html
    assert 'data-testid="screening-injecting"' in html
    assert "style=" not in html and "<script>" not in html
    assert "Intervensi singkat" in html  # the WHO action, in Indonesian


@pytest.mark.django_db
def test_the_back_button_keeps_answers_and_a_changed_answer_changes_what_follows(
    world: Any, as_user: Any, client_ka: Any, assist: Instrument
) -> None:
    http = as_user(world.alice)
    http.post(
        reverse("screening:start", kwargs={"client_id": client_ka.pk}),
        {"instrument": assist.pk, "purpose": "initial"},
    )
    screening = Screening.objects.get(client=client_ka)
    url = reverse("screening:interview", kwargs={"pk": screening.pk})
    q1 = {f"c-{c}": ("yes" if c == "c" else "no") for c in "abcdefghij"}
    response = http.post(url, {"step": "Q1", **q1}, follow=True)
    assert response.context["step"]["key"] == "Q2-c"
    assert response.context["back_key"] == "Q1"
    back = http.get(f"{url}?step=Q1")
    checked = [o["code"] for row in back.context["step"]["rows"] for o in row.options if o["checked"]]
    assert checked.count("yes") == 1
    response = http.post(url, {"step": "Q2-c", "answer": "weekly"}, follow=True)
    assert response.context["step"]["key"] == "Q3-c"
    assert response.context["progress"]["total"] == 8  # Q1, Q2–Q7 for cannabis, Q8
    response = http.post(url, {"step": "Q2-c", "answer": "never"}, follow=True)
    assert response.context["step"]["key"] == "Q6-c"
    assert response.context["progress"]["total"] == 5


@pytest.mark.django_db
def test_no_to_everything_is_probed_once_then_the_interview_ends(
    world: Any, as_user: Any, client_ka: Any, assist: Instrument
) -> None:
    http = as_user(world.alice)
    http.post(
        reverse("screening:start", kwargs={"client_id": client_ka.pk}),
        {"instrument": assist.pk, "purpose": "initial"},
    )
    screening = Screening.objects.get(client=client_ka)
    url = reverse("screening:interview", kwargs={"pk": screening.pk})
    nothing = {f"c-{c}": "no" for c in "abcdefghij"}
    probe = http.post(url, {"step": "Q1", **nothing}, follow=True)
    assert probe.context["step"]["kind"] == "probe"
    assert "sewaktu masih sekolah" in probe.content.decode()
    review = http.post(url, {"step": "Q1-probe", **nothing}, follow=True)
    assert review.context["ended_early"] is True
    http.post(reverse("screening:finish", kwargs={"pk": screening.pk}))
    screening.refresh_from_db()
    assert (screening.status, screening.highest_level, screening.pathway) == ("completed", "low", "ibm")
    assert screening.injecting == ""


@pytest.mark.django_db
def test_a_step_without_an_answer_is_refused_with_a_message(
    world: Any, as_user: Any, client_ka: Any, assist: Instrument
) -> None:
    http = as_user(world.alice)
    http.post(
        reverse("screening:start", kwargs={"client_id": client_ka.pk}),
        {"instrument": assist.pk, "purpose": "initial"},
    )
    screening = Screening.objects.get(client=client_ka)
    response = http.post(
        reverse("screening:interview", kwargs={"pk": screening.pk}), {"step": "Q1", "c-a": "no"}
    )
    assert response.status_code == 400
    assert "Pilih jawaban" in response.content.decode()


@pytest.mark.django_db
def test_an_instrument_added_only_as_a_data_file_works_end_to_end(
    world: Any, as_user: Any, client_ka: Any, toy: Instrument
) -> None:
    """SKRINING-SINGKAT lives only in tests/data/*.json: load → flow → score → stored."""
    http = as_user(world.alice)
    start = http.get(reverse("screening:start", kwargs={"client_id": client_ka.pk}))
    assert "Skrining singkat (contoh ilustrasi)" in start.content.decode()
    http.post(
        reverse("screening:start", kwargs={"client_id": client_ka.pk}),
        {"instrument": toy.pk, "purpose": "initial"},
    )
    screening = Screening.objects.get(client=client_ka, instrument=toy)
    answers = {"S1": {"alk": "yes", "nar": "no"}, "S2": {"alk": "often"}, "S3": "yes"}
    assert interview(http, screening, answers) == ["S1", "S2-alk", "S3"]
    page = http.post(reverse("screening:finish", kwargs={"pk": screening.pk}), follow=True)
    screening.refresh_from_db()
    alcohol = screening.results.get(class_code="alk")
    assert (alcohol.score, alcohol.level) == (3, "moderate")
    assert screening.pathway == "referral"  # S3 "yes" forces a referral, as the data says
    assert screening.pathway_reasons[0] == {"code": "forced", "question": "S3", "option": "yes"}
    assert "contoh ilustrasi" in page.content.decode()


@pytest.mark.django_db
def test_a_supervisor_reads_the_result_but_cannot_interview(
    world: Any, as_user: Any, client_ka: Any, assist: Instrument
) -> None:
    import uuid

    from pulih.screening.services import screening_submit

    answers = {"Q1": {c: "no" for c in "abcdefghij"}}
    screening, _ = screening_submit(
        actor=world.alice, id=uuid.uuid4(), client=client_ka, instrument=assist, answers=answers
    )
    sam = as_user(world.sam)
    detail = sam.get(reverse("screening:detail", kwargs={"pk": screening.pk}))
    assert detail.status_code == 200
    assert "Budi" not in detail.content.decode()  # pseudonymous: the code only
    assert client_ka.code in detail.content.decode()
    assert 'data-testid="screening-correct"' not in detail.content.decode()
    assert sam.get(reverse("screening:start", kwargs={"client_id": client_ka.pk})).status_code == 403


@pytest.mark.django_db
def test_the_results_chart_is_svg_without_inline_styles(
    world: Any, as_user: Any, client_ka: Any, assist: Instrument
) -> None:
    import uuid

    from pulih.screening.services import screening_submit

    worst = {"Q2": "daily", "Q3": "daily", "Q4": "daily", "Q5": "daily", "Q6": "recent", "Q7": "recent"}
    from pulih.screening.loading import spec_for

    answers = assist_answers(
        spec_for(assist), {"i": worst, "b": {"Q2": "never", "Q6": "never", "Q7": "never"}}
    )
    screening, _ = screening_submit(
        actor=world.alice, id=uuid.uuid4(), client=client_ka, instrument=assist, answers=answers
    )
    html = as_user(world.alice).get(reverse("screening:detail", kwargs={"pk": screening.pk})).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg is not None
    assert 'class="sc-row sc-row--danger"' in svg.group(0)
    assert 'class="sc-row sc-row--ok"' in svg.group(0)
    assert "style" not in svg.group(0)
