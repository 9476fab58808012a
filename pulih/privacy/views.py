"""The data protection officer's pages: request register, acting on a request, retention, breach query."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import require
from pulih.core.errors import DomainError, add_to_form
from pulih.core.pagination import paginate, querystring_without_page
from pulih.privacy import forms as f
from pulih.privacy import selectors as sel
from pulih.privacy import services as svc
from pulih.privacy.breach import breach_report
from pulih.privacy.models import DataClass, RequestKind, RequestStatus


def _dpo(request: HttpRequest) -> None:
    require(request.user, Perm.PRIVACY_MANAGE)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The request register (open requests first, due dates visible)."""
    _dpo(request)
    status = request.GET.get("status", "open")
    kind = request.GET.get("kind", "")
    qs = sel.request_list(user=request.user, status=status, kind=kind)
    return render(
        request,
        "privacy/home.html",
        {
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "status": status,
            "kind": kind,
            "kinds": RequestKind.choices,
            "statuses": RequestStatus.choices,
            "now": timezone.now(),
        },
    )


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    _dpo(request)
    form = f.RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from pulih.clients.models import Client

        client = Client.objects.filter(code__iexact=form.cleaned_data["client_code"].strip()).first()
        if client is None:
            form.add_error("client_code", _("No client has this code."))
        else:
            try:
                dsr = svc.request_receive(
                    actor=request.user,
                    request=request,
                    client=client,
                    kind=form.cleaned_data["kind"],
                    received_at=form.cleaned_data["received_at"],
                    channel=form.cleaned_data["channel"],
                )
            except DomainError as err:
                add_to_form(form, err)
            else:
                return redirect("privacy:request_detail", pk=dsr.pk)
    return render(request, "privacy/form.html", {"form": form, "title": _("New data-subject request")})


@login_required
def request_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    _dpo(request)
    dsr = sel.request_get(user=request.user, pk=pk)
    client = dsr.client
    return render(
        request,
        "privacy/request_detail.html",
        {
            "dsr": dsr,
            "client": client,
            "verify_form": f.VerifyForm(),
            "close_form": f.CloseForm(),
            "reason_form": f.ReasonForm(),
            "destructions": dsr.destructions.order_by("at"),
            "now": timezone.now(),
        },
    )


def _post(request: HttpRequest, pk: Any, form_class: type[Any], action: Any) -> HttpResponse:
    """Validate ``form_class``, call ``action(dsr, data)``, report the result on the request page."""
    _dpo(request)
    dsr = sel.request_get(user=request.user, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("privacy:request_detail", pk=dsr.pk)
    try:
        done = action(dsr, form.cleaned_data)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, done)
    return redirect("privacy:request_detail", pk=dsr.pk)


@login_required
@require_POST
def request_verify(request: HttpRequest, pk: Any) -> HttpResponse:
    def act(dsr: Any, data: dict[str, Any]) -> str:
        svc.request_verify(actor=request.user, request=request, dsr=dsr, note=data["note"])
        return _("Identity verification noted.")

    return _post(request, pk, f.VerifyForm, act)


@login_required
@require_POST
def request_close(request: HttpRequest, pk: Any) -> HttpResponse:
    def act(dsr: Any, data: dict[str, Any]) -> str:
        svc.request_close(
            actor=request.user, request=request, dsr=dsr, status=data["status"], outcome=data["outcome"]
        )
        return _("The request is closed.")

    return _post(request, pk, f.CloseForm, act)


@login_required
@require_POST
def request_restrict(request: HttpRequest, pk: Any) -> HttpResponse:
    def act(dsr: Any, data: dict[str, Any]) -> str:
        svc.client_restrict(
            actor=request.user, request=request, client=dsr.client, reason=data["reason"], dsr=dsr
        )
        return _("Processing of this client's data is now restricted.")

    return _post(request, pk, f.ReasonForm, act)


@login_required
@require_POST
def restriction_lift(request: HttpRequest, pk: Any) -> HttpResponse:
    def act(dsr: Any, data: dict[str, Any]) -> str:
        svc.client_restriction_lift(
            actor=request.user, request=request, client=dsr.client, reason=data["reason"]
        )
        return _("The restriction is lifted.")

    return _post(request, pk, f.ReasonForm, act)


@login_required
@require_POST
def request_erase(request: HttpRequest, pk: Any) -> HttpResponse:
    def act(dsr: Any, data: dict[str, Any]) -> str:
        result = svc.client_erase(actor=request.user, request=request, client=dsr.client, dsr=dsr)
        labels = ", ".join(str(DataClass(c).label) for c in result.erased) or _("nothing new")
        text = _("Erased: %(classes)s.") % {"classes": labels}
        for cls, (_rule, until) in result.held.items():
            text += " " + _("Kept until %(date)s by the retention schedule: %(cls)s.") % {
                "date": f"{until:%Y-%m-%d}",
                "cls": DataClass(cls).label,
            }
        return text

    return _post(request, pk, f.ConfirmForm, act)


@login_required
def request_rectify(request: HttpRequest, pk: Any) -> HttpResponse:
    _dpo(request)
    dsr = sel.request_get(user=request.user, pk=pk)
    client = dsr.client
    initial = {"name": client.name, "phone": client.phone, "rw": client.rw}
    form = f.RectifyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.client_rectify(
                actor=request.user, request=request, client=client, dsr=dsr, **form.cleaned_data
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("The client's identity is corrected."))
            return redirect("privacy:request_detail", pk=dsr.pk)
    elif request.method != "POST":
        # The form shows the current identity: that is an identified read.
        from pulih.audit.services import audit_record
        from pulih.privacy.audit_codes import PrivacyAction

        audit_record(
            action=PrivacyAction.IDENTITY_VIEWED,
            request=request,
            obj=client,
            identified=True,
            purpose="rectification form",
            detail={"client": str(client.pk), "client_code": client.code},
        )
    return render(
        request, "privacy/form.html", {"form": form, "title": _("Rectify %(code)s") % {"code": client.code}}
    )


def _export(request: HttpRequest, pk: Any) -> dict[str, Any]:
    _dpo(request)
    dsr = sel.request_get(user=request.user, pk=pk)
    return svc.access_export(actor=request.user, request=request, client=dsr.client, dsr=dsr)


@login_required
def request_export_json(request: HttpRequest, pk: Any) -> HttpResponse:
    data = _export(request, pk)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="pulih-{data["client"]["code"]}.json"'
    return response


@login_required
def request_export_html(request: HttpRequest, pk: Any) -> HttpResponse:
    return render(request, "privacy/export.html", {"data": _export(request, pk)})


@login_required
def retention(request: HttpRequest) -> HttpResponse:
    _dpo(request)
    return render(
        request,
        "privacy/retention.html",
        {
            "rules": sel.retention_rule_list(user=request.user),
            "page": paginate(request, sel.destruction_list(user=request.user)),
            "qs": querystring_without_page(request),
        },
    )


@login_required
def retention_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _dpo(request)
    rule = sel.retention_rule_get(user=request.user, pk=pk)
    initial = {
        "keep_for_days": rule.keep_for_days,
        "action": rule.action,
        "legal_basis": rule.legal_basis,
        "holds_erasure": rule.holds_erasure,
        "active": rule.active,
    }
    form = f.RetentionRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.retention_rule_update(actor=request.user, request=request, rule=rule, **form.cleaned_data)
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("The retention rule is saved."))
            return redirect("privacy:retention")
    return render(
        request,
        "privacy/form.html",
        {"form": form, "title": _("Retention: %(cls)s") % {"cls": rule.get_data_class_display()}},
    )


@login_required
def breach(request: HttpRequest) -> HttpResponse:
    _dpo(request)
    form = f.BreachForm(request.GET or None)
    hits = None
    if request.GET and form.is_valid():
        hits = breach_report(
            actor=request.user,
            request=request,
            usernames=form.cleaned_data["account"].split(","),
            device=form.cleaned_data["device"].strip(),
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
        )
    return render(request, "privacy/breach.html", {"form": form, "hits": hits})
