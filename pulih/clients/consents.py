"""Consent gates: the one question every consent-dependent action asks.

``require_consent(client=…, kind=ConsentKind.SHARING)`` raises
``DomainError(code="consent_missing")`` naming the missing consent; for a
minor an active guardian consent is required as well.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from pulih.clients.models import Client, Consent, ConsentKind
from pulih.core.errors import DomainError

__all__ = ["ConsentKind", "active_consent", "has_consent", "require_consent", "require_not_restricted"]


def require_not_restricted(*, client: Client) -> None:
    """Refuse (``restricted``) while the client's processing is restricted.

    Restriction (UU 27/2022) keeps the record stored but stops every
    processing action. The flag is read from the database, not from the
    passed instance, so a client loaded before the restriction is refused too.
    """
    row = Client.objects.filter(pk=client.pk).values("restricted_at", "restriction_reason").first()
    if row is None or row["restricted_at"] is None:
        return
    raise DomainError(
        _(
            "Processing of this client's data is restricted (since %(date)s): the record is kept "
            "but nothing may be recorded or changed until the data protection officer lifts the "
            "restriction."
        )
        % {"date": f"{row['restricted_at']:%Y-%m-%d}"},
        code="restricted",
        status=409,
        details={"restricted_at": row["restricted_at"].isoformat()},
    )


def active_consent(*, client: Client, kind: str, destination: str | None = None) -> Consent | None:
    """The newest active consent of ``kind``; for sharing, one covering ``destination``.

    A sharing consent with an empty destination covers any referral destination.
    """
    consents = Consent.objects.filter(client=client, kind=kind, withdrawn_at__isnull=True).order_by(
        "-given_at"
    )
    for consent in consents:
        if kind != ConsentKind.SHARING or not destination or not consent.destination:
            return consent
        if consent.destination.strip().casefold() == destination.strip().casefold():
            return consent
    return None


def has_consent(*, client: Client, kind: str, destination: str | None = None) -> bool:
    return active_consent(client=client, kind=kind, destination=destination) is not None


def require_consent(*, client: Client, kind: str, destination: str | None = None) -> None:
    """Refuse (``consent_missing``) unless an active consent of ``kind`` exists.

    A minor needs an active guardian consent too, whatever ``kind`` is asked.
    A client under restriction of processing is refused first (``restricted``).
    """
    require_not_restricted(client=client)
    if not has_consent(client=client, kind=kind, destination=destination):
        label = ConsentKind(kind).label
        raise DomainError(
            _("This needs the client's consent, which is missing or withdrawn: %(consent)s.")
            % {"consent": label},
            code="consent_missing",
            details={"consent": str(kind)},
        )
    if (
        client.is_minor
        and kind != ConsentKind.GUARDIAN
        and not has_consent(client=client, kind=ConsentKind.GUARDIAN)
    ):
        raise DomainError(
            _(
                "The client is a minor: this needs the consent of a parent or guardian, "
                "which is missing or withdrawn."
            ),
            code="consent_missing",
            details={"consent": str(ConsentKind.GUARDIAN)},
        )
