"""Every read of the privacy app, scoped through ``pulih.accounts.scoping``.

The data protection officer works nationally; other roles see nothing here.
Finding a client for a request uses only its pseudonymous code.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import get_scoped_or_404, require, scope_queryset
from pulih.privacy.models import DataSubjectRequest, DestructionRecord, RetentionRule


def request_list(*, user: Any, status: str = "", kind: str = "") -> QuerySet[DataSubjectRequest]:
    qs = scope_queryset(user, DataSubjectRequest.objects.select_related("client"), Perm.PRIVACY_MANAGE)
    if status == "open":
        qs = qs.filter(status__in=["received", "in_progress"])
    elif status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-received_at")


def request_get(*, user: Any, pk: UUID | str) -> DataSubjectRequest:
    return get_scoped_or_404(
        user, DataSubjectRequest.objects.select_related("client", "handled_by"), Perm.PRIVACY_MANAGE, pk=pk
    )


def client_by_code(*, user: Any, code: str) -> Any:
    """The client a request is about, by its code (the DPO never searches by name)."""
    from pulih.clients.models import Client

    require(user, Perm.PRIVACY_MANAGE)
    client = Client.objects.filter(code__iexact=code.strip()).first()
    if client is None:
        raise Http404
    return client


def client_for_privacy(*, user: Any, pk: UUID | str) -> Any:
    from pulih.clients.models import Client

    require(user, Perm.PRIVACY_MANAGE)
    client = Client.objects.filter(pk=pk).first()
    if client is None:
        raise Http404
    return client


def retention_rule_list(*, user: Any) -> QuerySet[RetentionRule]:
    return scope_queryset(user, RetentionRule.objects.all(), Perm.PRIVACY_MANAGE).order_by("data_class")


def retention_rule_get(*, user: Any, pk: int) -> RetentionRule:
    return get_scoped_or_404(user, RetentionRule.objects.all(), Perm.PRIVACY_MANAGE, pk=pk)


def destruction_list(*, user: Any) -> QuerySet[DestructionRecord]:
    return scope_queryset(
        user, DestructionRecord.objects.select_related("rule", "by"), Perm.PRIVACY_MANAGE
    ).order_by("-at")
