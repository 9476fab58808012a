from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import require, scope_queryset
from pulih.audit.codes import AuditTrailAction
from pulih.audit.models import AuditEvent
from pulih.audit.services import audit_record
from pulih.core.pagination import paginate, querystring_without_page


def _parse_date(value: str) -> datetime | None:
    try:
        return timezone.make_aware(datetime.strptime(value, "%Y-%m-%d"))
    except ValueError:
        return None


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """Read-only view of the audit trail for the data protection officer."""
    require(request.user, Perm.AUDIT_VIEW)
    qs = scope_queryset(request.user, AuditEvent.objects.all(), Perm.AUDIT_VIEW)
    actor = request.GET.get("actor", "").strip()
    obj = request.GET.get("object", "").strip()
    start = _parse_date(request.GET.get("from", ""))
    end = _parse_date(request.GET.get("to", ""))
    if actor:
        qs = qs.filter(actor_username__iexact=actor)
    if obj:
        qs = qs.filter(object_id=obj) if obj.isdigit() else qs.filter(object_type=obj)
    if start:
        qs = qs.filter(at__gte=start)
    if end:
        qs = qs.filter(at__lt=end + timedelta(days=1))
    if request.GET.get("identified"):
        qs = qs.filter(identified=True)
    with transaction.atomic():
        audit_record(
            action=AuditTrailAction.AUDIT_VIEWED,
            request=request,
            detail={k: v for k, v in request.GET.items() if k != "page"},
        )
    return render(
        request,
        "audit/list.html",
        {
            "page": paginate(request, qs.order_by("-id"), per_page=50),
            "filters": request.GET,
            "qs": querystring_without_page(request),
        },
    )
