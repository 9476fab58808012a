"""The interviewer's pages: start, one step at a time, review, results, correction."""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import require, user_can
from pulih.audit.services import audit_record
from pulih.clients.selectors import client_get, client_get_for_edit
from pulih.core.errors import DomainError, add_to_form
from pulih.screening.audit_codes import ScreeningAction
from pulih.screening.loading import spec_for
from pulih.screening.models import Instrument, ScreeningPurpose
from pulih.screening.presenters import progress, results_view, review_rows, step_view
from pulih.screening.scoring import missing_steps, plan
from pulih.screening.selectors import (
    instrument_list,
    screening_for_client,
    screening_get,
    screening_get_for_edit,
)
from pulih.screening.services import (
    default_instrument,
    in_aftercare,
    screening_answer,
    screening_complete,
    screening_correct,
    screening_discard,
    screening_start,
)


class InstrumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Instrument) -> str:
        return f"{obj.name} ({obj.version})"


class StartForm(forms.Form):
    instrument = InstrumentChoiceField(
        label=gettext_lazy("Instrument"), queryset=Instrument.objects.none(), empty_label=None
    )
    aftercare = forms.BooleanField(
        label=gettext_lazy("The client is in aftercare after formal rehabilitation"), required=False
    )
    purpose = forms.ChoiceField(label=gettext_lazy("Purpose"), choices=ScreeningPurpose.choices)

    def __init__(self, *args: object, instruments: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["instrument"].queryset = instruments  # type: ignore[attr-defined]


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the screening corrected?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


@login_required
@require_http_methods(["GET", "POST"])
def start_view(request: HttpRequest, client_id: UUID) -> HttpResponse:
    require(request.user, Perm.CLIENTS_EDIT)
    client = client_get_for_edit(user=request.user, pk=client_id)
    instruments = instrument_list(user=request.user)
    purpose = request.GET.get("purpose", "")
    initial = {
        "instrument": default_instrument(),
        "aftercare": in_aftercare(client),
        "purpose": purpose if purpose in ScreeningPurpose.values else ScreeningPurpose.INITIAL,
    }
    form = StartForm(request.POST or None, initial=initial, instruments=instruments)
    if request.method == "POST" and form.is_valid():
        try:
            screening = screening_start(
                actor=request.user,
                request=request,
                client=client,
                instrument=form.cleaned_data["instrument"],
                aftercare=form.cleaned_data["aftercare"],
                purpose=form.cleaned_data["purpose"],
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            return redirect("screening:interview", pk=screening.pk)
    return render(
        request,
        "screening/start.html",
        {"client": client, "form": form, "has_instruments": instruments.exists()},
    )


def _next_key(keys: list[str], after: str) -> str | None:
    if after in keys:
        i = keys.index(after)
        return keys[i + 1] if i + 1 < len(keys) else None
    return None


@login_required
@require_http_methods(["GET", "POST"])
def interview_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    require(request.user, Perm.CLIENTS_EDIT)
    screening = screening_get_for_edit(user=request.user, pk=pk)
    if screening.is_completed:
        return redirect("screening:detail", pk=screening.pk)
    spec = spec_for(screening.instrument)
    error = ""
    if request.method == "POST":
        key = request.POST.get("step", "")
        posted = {name: str(request.POST.get(name, "")) for name in request.POST}
        values = {name.removeprefix("c-"): value for name, value in posted.items() if name.startswith("c-")}
        if "answer" in request.POST:
            step = next(
                (s for s in plan(spec, screening.answers, probed=screening.probed).steps if s.key == key),
                None,
            )
            values[(step.class_code or "") if step else ""] = posted["answer"]
        specify = {
            name.removeprefix("specify-"): value
            for name, value in posted.items()
            if name.startswith("specify-")
        }
        try:
            screening = screening_answer(
                actor=request.user,
                request=request,
                screening=screening,
                step_key=key,
                values=values,
                specify=specify or None,
            )
        except DomainError as err:
            error = err.message
        else:
            keys = [s.key for s in plan(spec, screening.answers, probed=screening.probed).steps]
            following = _next_key(keys, key)
            missing = missing_steps(spec, screening.answers, probed=screening.probed)
            if following is None and missing:
                following = missing[0].key
            url = reverse("screening:interview", kwargs={"pk": screening.pk})
            return redirect(f"{url}?step={following}" if following else url)
    current = plan(spec, screening.answers, probed=screening.probed)
    key = (request.POST.get("step") if error else request.GET.get("step")) or ""
    step = next((s for s in current.steps if s.key == key), None)
    if step is None:
        missing = missing_steps(spec, screening.answers, probed=screening.probed)
        step = missing[0] if missing else None
    keys = [s.key for s in current.steps]
    if step is None:
        return render(
            request,
            "screening/review.html",
            {
                "screening": screening,
                "spec": spec,
                "rows": review_rows(spec, current, screening.answers, screening.specify),
                "back_key": keys[-1] if keys else "",
                "progress": progress(spec, current, None, screening.answers, screening.probed),
                "ended_early": current.ended_early,
            },
        )
    index = keys.index(step.key)
    return render(
        request,
        "screening/step.html",
        {
            "screening": screening,
            "spec": spec,
            "step": step_view(spec, step, screening.answers, screening.specify),
            "back_key": keys[index - 1] if index > 0 else "",
            "progress": progress(spec, current, step.key, screening.answers, screening.probed),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def finish_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    require(request.user, Perm.CLIENTS_EDIT)
    screening = screening_get_for_edit(user=request.user, pk=pk)
    try:
        screening = screening_complete(actor=request.user, request=request, screening=screening)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("screening:interview", pk=screening.pk)
    messages.success(request, _("Screening completed."))
    return redirect("screening:detail", pk=screening.pk)


def _referral_url(client_id: UUID) -> str | None:
    try:
        return reverse("referrals:create", kwargs={"client_id": client_id})
    except NoReverseMatch:
        return None


@login_required
def detail_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    require(request.user, Perm.CLIENTS_VIEW)
    screening = screening_get(user=request.user, pk=pk)
    can_edit = user_can(request.user, Perm.CLIENTS_EDIT) and request.user.unit_id == screening.client.unit_id  # type: ignore[union-attr]
    if not screening.is_completed:
        if can_edit:
            return redirect("screening:interview", pk=screening.pk)
        return render(request, "screening/draft.html", {"screening": screening})
    spec = spec_for(screening.instrument)
    audit_record(
        action=ScreeningAction.SCREENING_VIEWED,
        request=request,
        obj=screening,
        detail={"client": str(screening.client_id)},
    )
    correction = getattr(screening, "correction", None)
    return render(
        request,
        "screening/detail.html",
        {
            "screening": screening,
            "spec": spec,
            "instrument_name": spec.name.get(request.LANGUAGE_CODE),
            "view": results_view(spec, screening),
            "correction": correction,
            "can_correct": can_edit and correction is None,
            "referral_url": _referral_url(screening.client_id) if can_edit else None,
            "can_edit": can_edit,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def correct_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    require(request.user, Perm.CLIENTS_EDIT)
    screening = screening_get_for_edit(user=request.user, pk=pk)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = screening_correct(
                actor=request.user, request=request, screening=screening, reason=form.cleaned_data["reason"]
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            return redirect("screening:interview", pk=correction.pk)
    return render(request, "screening/correct.html", {"screening": screening, "form": form})


@login_required
@require_POST
def discard_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    require(request.user, Perm.CLIENTS_EDIT)
    screening = screening_get_for_edit(user=request.user, pk=pk)
    client_id = screening.client_id
    screening_discard(actor=request.user, request=request, screening=screening)
    messages.success(request, _("The unfinished screening was discarded."))
    return redirect("screening:client_list", client_id=client_id)


@login_required
def client_list_view(request: HttpRequest, client_id: UUID) -> HttpResponse:
    require(request.user, Perm.CLIENTS_VIEW)
    client = client_get(user=request.user, pk=client_id)
    screenings = list(screening_for_client(user=request.user, client=client))
    audit_record(
        action=ScreeningAction.SCREENING_LISTED,
        request=request,
        obj=client,
        detail={"client": str(client.pk), "count": len(screenings)},
    )
    return render(
        request,
        "screening/client_list.html",
        {
            "client": client,
            "screenings": screenings,
            "can_edit": user_can(request.user, Perm.CLIENTS_EDIT) and request.user.unit_id == client.unit_id,  # type: ignore[union-attr]
        },
    )
