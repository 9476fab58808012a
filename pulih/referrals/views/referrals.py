"""Referral pages: the unit's list, the form, the detail with its next steps, the letter."""

from __future__ import annotations

import uuid
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pulih.accounts.scoping import require, user_can
from pulih.clients.consents import has_consent
from pulih.clients.models import ConsentKind
from pulih.clients.selectors import client_get_for_edit
from pulih.core.errors import DomainError, add_to_form
from pulih.core.pagination import paginate, querystring_without_page
from pulih.referrals import integrations
from pulih.referrals.access import ReferralPerm
from pulih.referrals.forms import ReferralForm, TransitionForm
from pulih.referrals.overdue import ack_days, ack_due
from pulih.referrals.selectors import (
    provider_choices,
    referral_counts,
    referral_events,
    referral_get,
    referral_get_for_action,
    referral_list,
)
from pulih.referrals.services.referrals import (
    moment_of,
    referral_create,
    referral_letter,
    referral_transition,
)
from pulih.referrals.states import (
    ON_BEHALF_OF_DESTINATION,
    ReferralAction,
    ReferralState,
    allowed_actions,
)


def _client_url(client_id: UUID) -> str | None:
    """The client page, when the clients app serves one."""
    try:
        return reverse("clients:detail", kwargs={"pk": client_id})
    except NoReverseMatch:
        return None


# Steps taken with one tap from the detail page; the others open a form.
ONE_TAP = frozenset({ReferralAction.SEND, ReferralAction.RETURN})


@login_required
@require_GET
def referral_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, ReferralPerm.VIEW)
    state = request.GET.get("state", "")
    if state not in ReferralState.values:
        state = ""
    overdue = request.GET.get("overdue") == "1"
    qs = referral_list(user=request.user, state=state, overdue=overdue)
    counts = referral_counts(user=request.user)
    # The counts per state are over the same scope: the page's total is one of them
    # (a province's referral list spent a third of its time counting twice).
    if overdue:
        total = counts["overdue"] if state in ("", ReferralState.SENT) else 0
    elif state:
        total = counts.get(state, 0)
    else:
        total = sum(n for key, n in counts.items() if key != "overdue")
    return render(
        request,
        "referrals/referral_list.html",
        {
            "page": paginate(request, qs, count=total),
            "state": state,
            "states": ReferralState.choices,
            "overdue": overdue,
            "counts": counts,
            "ack_days": ack_days(),
            "qs": querystring_without_page(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_create_view(request: HttpRequest, client_id: UUID) -> HttpResponse:
    require(request.user, ReferralPerm.MANAGE)
    client = client_get_for_edit(user=request.user, pk=client_id)
    providers = provider_choices(user=request.user, province=client.unit.village.province_id)
    summary = integrations.assist_summary(client)
    initial = {"id": uuid.uuid4(), "reason": integrations.reason_from_screening(summary)}
    form = ReferralForm(request.POST or None, initial=initial, providers=providers)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            referral, _created = referral_create(
                actor=request.user,
                request=request,
                id=d["id"],
                client=client,
                provider=d["provider"],
                pathway=d["pathway"],
                reason=d["reason"],
                urgency=d["urgency"],
                send="send" in request.POST,
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            if referral.state == ReferralState.SENT:
                messages.success(request, _("Referral sent. Print the letter for the client to take along."))
            else:
                messages.success(request, _("Referral saved as a draft."))
            return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/referral_form.html",
        {
            "form": form,
            "client": client,
            "has_sharing_consent": has_consent(client=client, kind=ConsentKind.SHARING),
            "sharing_label": ConsentKind.SHARING.label,
            "summary": summary,
            "client_url": _client_url(client.pk),
        },
    )


@login_required
@require_GET
def referral_detail_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    require(request.user, ReferralPerm.VIEW)
    referral = referral_get(user=request.user, pk=pk)
    can_act = user_can(request.user, ReferralPerm.MANAGE)
    actions = allowed_actions(referral.state) if can_act else []
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "events": referral_events(referral=referral),
            "actions": [{"code": a.value, "label": a.label, "one_tap": a in ONE_TAP} for a in actions],
            "can_act": can_act,
            "ack_due": ack_due(referral.sent_at) if referral.sent_at else None,
            "shared_labels": referral.get_shared_labels(),
            "client_url": _client_url(referral.client_id) if can_act else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_action_view(request: HttpRequest, pk: UUID, action: str) -> HttpResponse:
    require(request.user, ReferralPerm.MANAGE)
    referral = referral_get_for_action(user=request.user, pk=pk)
    if action not in ReferralAction.values:
        raise Http404
    step = ReferralAction(action)
    if step not in allowed_actions(referral.state):
        messages.error(
            request,
            _("This step is no longer possible: the referral is %(state)s.")
            % {"state": ReferralState(referral.state).label.lower()},
        )
        return redirect("referrals:detail", pk=referral.pk)
    form = TransitionForm(request.POST or None, action=action)
    if request.method == "POST" and (step in ONE_TAP or form.is_valid()):
        d = form.cleaned_data if step not in ONE_TAP else {}
        try:
            referral_transition(
                actor=request.user,
                request=request,
                referral=referral,
                action=action,
                at=moment_of(d.get("on"), referral),
                counterpart_name=d.get("counterpart_name", ""),
                counterpart_role=d.get("counterpart_role", ""),
                note=d.get("note", ""),
                outcome=d.get("outcome", ""),
            )
        except DomainError as err:
            if step in ONE_TAP:
                messages.error(request, err.message)
                return redirect("referrals:detail", pk=referral.pk)
            add_to_form(form, err)
        else:
            messages.success(request, _("Saved: %(step)s.") % {"step": step.label})
            return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/referral_action.html",
        {
            "referral": referral,
            "form": form,
            "step": step,
            "on_behalf": step in ON_BEHALF_OF_DESTINATION,
            "destructive": step == ReferralAction.CANCEL,
        },
    )


@login_required
@require_GET
def referral_letter_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    require(request.user, ReferralPerm.MANAGE)
    referral = referral_get_for_action(user=request.user, pk=pk)
    pdf, _identified = referral_letter(actor=request.user, request=request, referral=referral)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"rujukan-{referral.client.code}-{str(referral.pk)[:8]}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
