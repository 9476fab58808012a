"""The printable referral letter (surat rujukan) as a PDF, drawn with reportlab.

:func:`letter_content` decides what the letter says — only what the sharing
consent allowed — as plain data; :func:`render_pdf` only lays it out. Tests
check the content and the rendered bytes; nothing else decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from pulih.clients.models import AgeBand, Sex
from pulih.referrals.integrations import risk_label
from pulih.referrals.models import Pathway, Referral, SharedItem, Urgency


@dataclass
class LetterContent:
    header: list[str]
    title: str
    number: str
    date: str
    to: list[str]
    client: list[tuple[str, str]]
    assist: list[tuple[str, str]]
    request: list[tuple[str, str]]
    consent_note: str
    sender: list[str]
    acknowledgement: list[str] = field(default_factory=list)

    def all_text(self) -> str:
        parts: list[str] = [*self.header, self.title, self.number, self.date, *self.to, self.consent_note]
        for rows in (self.client, self.assist, self.request):
            parts += [f"{k} {v}" for k, v in rows]
        return "\n".join([*parts, *self.sender, *self.acknowledgement])


def _date(value: Any) -> str:
    if value is None:
        return "—"
    return str(formats.date_format(timezone.localtime(value), "j F Y"))


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or "—"


def letter_content(referral: Referral, *, identity: dict[str, str] | None) -> LetterContent:
    """What the letter says. ``identity`` (name, NIK) is given only when the consent covers it."""
    client = referral.client
    unit = client.unit
    office = unit.office
    header = [unit.name, f"{unit.village.name}, {unit.village.regency.full_name}"]
    header.append(_("Supervised by %(office)s") % {"office": office.name})
    if office.letterhead:
        header.append(office.letterhead)
    provider = referral.provider
    to = [provider.name, provider.get_type_display()]
    if provider.address:
        to.append(provider.address)
    to.append(provider.regency.full_name)
    summary = referral.summary or {}
    rows: list[tuple[str, str]] = []
    if SharedItem.CODE in referral.shared:
        rows.append((_("Client code"), str(summary.get("code") or client.code)))
    if identity is not None and SharedItem.IDENTITY in referral.shared:
        rows.append((_("Name"), identity.get("name", "") or "—"))
        if identity.get("nik"):
            rows.append((_("NIK"), identity["nik"]))
    if SharedItem.SEX in referral.shared:
        rows.append((_("Sex"), _label(Sex, str(summary.get("sex", "")))))
    if SharedItem.AGE_BAND in referral.shared:
        rows.append((_("Age band"), _label(AgeBand, str(summary.get("age_band", "")))))
    assist: list[tuple[str, str]] = []
    if SharedItem.ASSIST in referral.shared:
        info = summary.get("assist") or {}
        if info.get("completed_at"):
            assist.append((_("Screened on"), str(info["completed_at"])[:10]))
        if info.get("highest_level"):
            assist.append((_("Highest risk"), risk_label(str(info["highest_level"]))))
        for item in info.get("substances", []):
            level = risk_label(str(item.get("level", "")))
            assist.append((str(item.get("name", "")), f"{level} ({item.get('score', '')})"))
        if info.get("injecting") == "recent":
            assist.append((_("Injecting use"), _("yes, in the past 3 months")))
    request_rows = [
        (_("Referred for"), _label(Pathway, referral.pathway)),
        (_("Urgency"), _label(Urgency, referral.urgency)),
        (_("Reason"), referral.reason),
    ]
    shared = ", ".join(str(SharedItem(s).label) for s in referral.shared if s in SharedItem.values)
    consent_note = _(
        "Shared with the client's consent. Only these items were shared: %(items)s. "
        "Confidential: do not pass on."
    ) % {"items": shared}
    sender = [
        _("Referred by %(name)s, %(unit)s")
        % {"name": referral.created_by.full_name or referral.created_by.username, "unit": unit.name},
    ]
    acknowledgement = [
        _("Please confirm receipt to the referring IBM unit and send your feedback when services end."),
        _("Received by (name, role): ______________________   Date: ____________"),
    ]
    return LetterContent(
        header=header,
        title=_("REFERRAL LETTER"),
        number=_("No. %(number)s") % {"number": str(referral.pk).split("-")[0].upper()},
        date=_date(referral.sent_at or referral.created_at),
        to=to,
        client=rows,
        assist=assist,
        request=request_rows,
        consent_note=consent_note,
        sender=sender,
        acknowledgement=acknowledgement,
    )


def _table(rows: list[tuple[str, str]], body: ParagraphStyle) -> Table:
    data = [[Paragraph(escape(k), body), Paragraph(escape(v).replace("\n", "<br/>"), body)] for k, v in rows]
    table = Table(data, colWidths=[45 * mm, 120 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                ("TEXTCOLOR", (0, 0), (0, -1), colors.HexColor("#5b6763")),
            ]
        )
    )
    return table


def render_pdf(content: LetterContent, *, compress: bool = True) -> bytes:
    """Lay out ``content`` on A4 and return the PDF bytes."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=content.title,
        author="Pulih",
        pageCompression=1 if compress else 0,
    )
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["Normal"], fontSize=10, leading=13)
    head = ParagraphStyle("head", parent=styles["Normal"], fontSize=13, leading=16, fontName="Helvetica-Bold")
    small = ParagraphStyle("small", parent=body, fontSize=9, leading=11, textColor=colors.HexColor("#5b6763"))
    title = ParagraphStyle("title", parent=head, alignment=1, spaceBefore=6, spaceAfter=2)
    story: list[Any] = [Paragraph(escape(content.header[0]), head)]
    story += [Paragraph(escape(line), small) for line in content.header[1:]]
    story += [HRFlowable(width="100%", thickness=1.2, color=colors.HexColor("#0f5c4d")), Spacer(1, 4 * mm)]
    story += [Paragraph(escape(content.title), title)]
    story += [
        Paragraph(
            escape(f"{content.number} · {content.date}"), ParagraphStyle("c", parent=small, alignment=1)
        )
    ]
    story += [Spacer(1, 5 * mm), Paragraph(escape(_("To:")), body)]
    story += [Paragraph(f"<b>{escape(content.to[0])}</b>", body)]
    story += [Paragraph(escape(line), body) for line in content.to[1:]]
    client_title, assist_title, referral_title = _("Client"), _("ASSIST screening"), _("Referral")
    story += [
        Spacer(1, 4 * mm),
        Paragraph(f"<b>{escape(client_title)}</b>", body),
        _table(content.client, body),
    ]
    if content.assist:
        story += [
            Spacer(1, 3 * mm),
            Paragraph(f"<b>{escape(assist_title)}</b>", body),
            _table(content.assist, body),
        ]
    story += [Spacer(1, 3 * mm), Paragraph(f"<b>{escape(referral_title)}</b>", body)]
    story += [_table(content.request, body), Spacer(1, 4 * mm)]
    story += [Paragraph(escape(content.consent_note), small), Spacer(1, 6 * mm)]
    story += [Paragraph(escape(line), body) for line in content.sender]
    story += [Spacer(1, 8 * mm)]
    story += [Paragraph(escape(line), small) for line in content.acknowledgement]
    doc.build(story)
    return buffer.getvalue()
