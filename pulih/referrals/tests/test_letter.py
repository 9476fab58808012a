"""The referral letter carries only what the sharing consent allows, and every download is audited."""

from __future__ import annotations

import base64
import zlib
from typing import Any

import pytest

from pulih.audit.models import AuditEvent
from pulih.clients.models import ConsentGiver, ConsentKind
from pulih.clients.services import consent_give, consent_withdraw
from pulih.clients.tests.factories import make_client
from pulih.core.errors import DomainError
from pulih.referrals.audit_codes import ReferralAuditAction
from pulih.referrals.letter import letter_content, render_pdf
from pulih.referrals.models import ServiceProvider
from pulih.referrals.services.referrals import referral_letter
from pulih.referrals.tests.factories import make_referral
from pulih.testing.world import World

pytestmark = pytest.mark.django_db

NAME = "Rahasiawati"
NIK = "1505024107950001"


def _client(world: World, *, identity: bool) -> Any:
    client = make_client(world, name=NAME, sex="f", birth_year=1995, nik=NIK)
    consent_give(
        actor=world.alice, client=client, kind=ConsentKind.SHARING, given_by=ConsentGiver.CLIENT,
        share_identity=identity,
    )  # fmt: skip
    return client


def _pdf_text(pdf: bytes) -> str:
    """The text drawn in the PDF's content streams (reportlab: ASCII85 over Flate)."""
    out = []
    for chunk in pdf.split(b"\nstream\n")[1:]:
        body = chunk.split(b"endstream")[0].strip()
        try:
            if body.endswith(b"~>"):
                body = base64.a85decode(body[:-2], adobe=False)
            out.append(zlib.decompress(body).decode("latin-1"))
        except (ValueError, zlib.error):
            continue
    return "\n".join(out).replace("\\(", "(").replace("\\)", ")")


def test_without_identity_consent_the_letter_has_the_code_but_no_name_or_nik(
    world: World, provider: ServiceProvider, as_user: Any
) -> None:
    client = _client(world, identity=False)
    referral = make_referral(world, client=client, provider=provider, send=True)
    pdf, identified = referral_letter(actor=world.alice, referral=referral)
    text = _pdf_text(pdf)
    assert pdf.startswith(b"%PDF") and not identified
    assert client.code in text and provider.name in text
    assert NAME not in text and NIK not in text
    event = AuditEvent.objects.get(action=ReferralAuditAction.REFERRAL_LETTER_DOWNLOADED)
    assert not event.identified and event.object_id == str(referral.pk)


def test_with_identity_consent_the_letter_names_the_client_and_the_download_is_identified(
    world: World, provider: ServiceProvider, as_user: Any
) -> None:
    client = _client(world, identity=True)
    referral = make_referral(world, client=client, provider=provider, send=True)
    response = as_user(world.alice).get(f"/referrals/{referral.pk}/letter.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert NAME in text and NIK in text
    event = AuditEvent.objects.get(action=ReferralAuditAction.REFERRAL_LETTER_DOWNLOADED)
    assert event.identified and event.actor_username == "alice"


def test_the_letter_is_headed_with_the_unit_and_its_office(world: World, provider: ServiceProvider) -> None:
    referral = make_referral(world, client=_client(world, identity=False), provider=provider, send=True)
    content = letter_content(referral, identity=None)
    assert content.header[0] == world.unit_kayu_aro.name
    assert any(world.bnnp_jambi.name in line for line in content.header)
    assert NAME not in content.all_text()
    assert render_pdf(content).startswith(b"%PDF")


def test_no_letter_once_the_sharing_consent_is_withdrawn(world: World, provider: ServiceProvider) -> None:
    client = _client(world, identity=True)
    referral = make_referral(world, client=client, provider=provider, send=True)
    consent_withdraw(actor=world.alice, consent=client.consents.get(kind=ConsentKind.SHARING))
    with pytest.raises(DomainError) as err:
        referral_letter(actor=world.alice, referral=referral)
    assert err.value.code == "consent_missing"
    assert not AuditEvent.objects.filter(action=ReferralAuditAction.REFERRAL_LETTER_DOWNLOADED).exists()
