"""Pages of the client journey: thin views over services and selectors.

Every page that shows identity writes an audit event with ``identified=True``
for each client shown (``_audit_shown``); a supervisor's pseudonymous view is
logged too, so the DPO's "who accessed this record" is complete.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import require, user_can
from pulih.audit.codes import AuditTrailAction
from pulih.audit.services import audit_record, audit_record_many
from pulih.clients import forms as f
from pulih.clients import selectors as sel
from pulih.clients import services as svc
from pulih.clients import timeline, worklist
from pulih.clients.audit_codes import ClientAction
from pulih.clients.completion import completion_status
from pulih.clients.links import referral_create_url, screening_start_url
from pulih.clients.models import Client, ClientStatus, ContactOutcome, EpisodeStatus
from pulih.core.errors import DomainError, add_to_form
from pulih.core.pagination import paginate, querystring_without_page


def _audit_shown(
    request: HttpRequest,
    clients: Iterable[Client],
    action: ClientAction,
    purpose: str = "",
    identified: bool | None = None,
) -> None:
    """One event per client shown; identified when the identity was on the page.

    The page's events are appended together (one lock, one insert).
    ``identified``: what the page already decided for its one client.
    """
    audit_record_many(
        [
            {
                "action": action,
                "request": request,
                "obj": client,
                "identified": sel.identity_visible(user=request.user, client=client)
                if identified is None
                else identified,
                "purpose": purpose,
                "detail": {"client": str(client.pk)},
            }
            for client in clients
        ]
    )


def _form_page(
    request: HttpRequest, form: Any, *, title: str, client: Client | None = None, **extra: Any
) -> HttpResponse:
    return render(request, "clients/form.html", {"form": form, "title": title, "client": client, **extra})


# --- Lists ----------------------------------------------------------------------------

# Timeline entries shown on the client record before "show the whole history".
TIMELINE_SHOWN = 50


@login_required
def client_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.CLIENTS_VIEW)
    sel.user_unit_loaded(user=request.user)
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    page = paginate(request, sel.client_list(user=request.user, search=search, status=status))
    _audit_shown(request, page.object_list, ClientAction.CLIENT_LISTED, purpose="list")
    return render(
        request,
        "clients/client_list.html",
        {
            "page": page,
            "q": search,
            "status": status,
            "statuses": ClientStatus.choices,
            "qs": querystring_without_page(request),
            "can_edit": user_can(request.user, Perm.CLIENTS_EDIT),
            "show_identity": user_can(request.user, Perm.CLIENTS_IDENTITY),
        },
    )


@login_required
def worklist_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.CLIENTS_EDIT)
    today = timezone.localdate()
    items = worklist.items_for(request.user, today)
    # Overdue first, then by date: a large unit has thousands of items, a phone shows a page.
    page = paginate(request, items, WORKLIST_PAGE)
    return render(request, "clients/worklist.html", {"page": page, "items": page.object_list, "today": today})



WORKLIST_PAGE = 50


@login_required
def outreach_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.CLIENTS_EDIT)
    page = paginate(request, sel.outreach_list(user=request.user))
    return render(
        request, "clients/outreach_list.html", {"page": page, "qs": querystring_without_page(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def outreach_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.CLIENTS_EDIT)
    form = f.OutreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = svc.outreach_log(actor=request.user, request=request, **form.cleaned_data)
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Outreach contact recorded."))
            if request.POST.get("next") == "register":
                return redirect(f"{_url('clients:register')}?outreach={contact.pk}")
            return redirect("clients:outreach_list")
    return _form_page(request, form, title=_("Log an outreach contact"), outreach=True)


def _url(name: str, **kwargs: Any) -> str:
    from django.urls import reverse

    return reverse(name, kwargs=kwargs or None)


# --- Registration and the client page --------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def register_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.CLIENTS_EDIT)
    outreach = None
    outreach_id = request.GET.get("outreach") or request.POST.get("outreach")
    if outreach_id:
        try:
            outreach = sel.outreach_list(user=request.user).filter(pk=UUID(str(outreach_id))).first()
        except ValueError:
            outreach = None
    initial = {"village": request.user.unit.village_id if request.user.unit else None}  # type: ignore[union-attr]
    form = f.RegisterForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        consent = svc.ConsentInput(
            services=d["consent_services"],
            data_processing=d["consent_data"],
            guardian=d["consent_guardian"],
            given_by=d["given_by"],
            giver_name=d["giver_name"],
            evidence=d["evidence"],
        )
        try:
            client = svc.client_register(
                actor=request.user,
                request=request,
                village=d["village"],
                name=d["name"],
                sex=d["sex"],
                birth_year=d["birth_year"],
                age_band=d["age_band"],
                rw=d["rw"],
                nik=d["nik"],
                phone=d["phone"],
                referral_source=d["referral_source"],
                consent=consent,
                outreach=outreach,
            )
        except DomainError as err:
            if err.code == "consent_missing" and err.field is None:
                err.field = (
                    "consent_data" if "data" in str(err.details.get("consent", "")) else "consent_services"
                )
            add_to_form(form, err)
        else:
            messages.success(request, _("Client registered with code %(code)s.") % {"code": client.code})
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/register.html", {"form": form, "outreach": outreach})


@login_required
def client_detail_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    sel.user_unit_loaded(user=request.user)
    client = sel.client_get(user=request.user, pk=pk)
    show_identity = sel.identity_visible(user=request.user, client=client)
    _audit_shown(request, [client], ClientAction.CLIENT_VIEWED, purpose="client page", identified=show_identity)
    # Episodes, consents and the care records are read once (``record``) and shared by
    # this page and every timeline provider: the page's queries do not grow with the history.
    record = timeline.ClientRecord(client, request.user)
    episodes = record.episodes
    episode = next((e for e in episodes if e.closed_at is None), episodes[0] if episodes else None)
    can_edit = user_can(request.user, Perm.CLIENTS_EDIT) and request.user.unit_id == client.unit_id  # type: ignore[union-attr]
    contacts = record.history.contacts
    done = sorted((c for c in contacts if c.done_on is not None), key=lambda c: (c.done_on, c.created_at))
    last_contact = done[-1] if done else None
    relapse = bool(
        last_contact and last_contact.outcome == ContactOutcome.RELAPSE and episode and episode.is_open
    )
    completion = None
    if episode:
        tests = [(t.tested_on, t.result) for t in record.history.urine_tests if t.episode_id == episode.pk]
        completion = completion_status(episode, tests)
    # A phone shows the latest entries; the whole history is one tap away.
    entries = timeline.entries_for(client, request.user, record)
    show_all = request.GET.get("history") == "all"
    shown = entries if show_all else entries[:TIMELINE_SHOWN]
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "show_identity": show_identity,
            "episode": episode,
            "episodes": episodes,
            "consents": record.consents,
            "entries": shown,
            "entries_total": len(entries),
            "entries_hidden": len(entries) - len(shown),
            "open_contacts": sorted((c for c in contacts if c.done_on is None), key=lambda c: c.due_on),
            "can_edit": can_edit,
            "relapse": relapse,
            "completion": completion,
            "screening_url": screening_start_url(client),
            "outcome_screening_url": screening_start_url(client, "outcome"),
            "referral_url": referral_create_url(client),
            "statuses": EpisodeStatus,
            "can_audit": user_can(request.user, Perm.AUDIT_VIEW),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_edit_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    client = sel.client_get_for_edit(user=request.user, pk=pk)
    initial = {"name": client.name, "rw": client.rw, "phone": client.phone, "village": client.village_id}
    form = f.ClientEditForm(request.POST or None, initial=initial)
    if request.method == "GET":
        _audit_shown(request, [client], ClientAction.CLIENT_VIEWED, purpose="edit form")
    if request.method == "POST" and form.is_valid():
        try:
            svc.client_update(actor=request.user, request=request, client=client, **form.cleaned_data)
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Saved."))
            return redirect("clients:detail", pk=client.pk)
    return _form_page(request, form, title=_("Edit identity"), client=client)


@login_required
def client_card_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    client = sel.client_get_for_edit(user=request.user, pk=pk)
    audit_record(
        action=ClientAction.CLIENT_CARD_PRINTED,
        request=request,
        obj=client,
        identified=False,
        detail={"client": str(client.pk)},
    )
    return render(request, "clients/card.html", {"client": client})


# --- Consent ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def consent_create_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    client = sel.client_get_for_edit(user=request.user, pk=pk)
    form = f.ConsentForm(
        request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            consent = svc.consent_give(
                actor=request.user, request=request, client=client, **form.cleaned_data
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Consent recorded: %(kind)s.") % {"kind": consent.get_kind_display()})
            return redirect("clients:detail", pk=client.pk)
    return _form_page(request, form, title=_("Record a consent"), client=client, multipart=True)


@login_required
@require_POST
def consent_withdraw_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    consent = sel.consent_get(user=request.user, pk=pk)
    form = f.WithdrawForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        svc.consent_withdraw(actor=request.user, request=request, consent=consent, note=note)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Consent withdrawn: %(kind)s.") % {"kind": consent.get_kind_display()})
    return redirect("clients:detail", pk=consent.client_id)


# --- Care ------------------------------------------------------------------------------


def _care_form(
    request: HttpRequest,
    pk: UUID,
    form_class: Any,
    service: Any,
    *,
    title: str,
    done: str,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    client = sel.client_get_for_edit(user=request.user, pk=pk)
    kwargs = dict(form_kwargs or {})
    if "unit_id" in kwargs:
        kwargs["unit_id"] = client.unit_id
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, request=request, client=client, **form.cleaned_data)
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, done)
            return redirect("clients:detail", pk=client.pk)
    return _form_page(request, form, title=title, client=client)


@login_required
@require_http_methods(["GET", "POST"])
def plan_create_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _care_form(
        request,
        pk,
        f.PlanForm,
        svc.plan_create,
        title=_("Intervention plan"),
        done=_("Plan saved."),
        form_kwargs={"unit_id": None, "initial": {"responsible": request.user.pk}},
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_create_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _care_form(
        request, pk, f.NoteForm, svc.note_write, title=_("Buku raport entry"), done=_("Progress note saved.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def urine_create_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _care_form(
        request,
        pk,
        f.UrineTestForm,
        svc.urine_test_record,
        title=_("Urine test"),
        done=_("Urine test recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_create_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _care_form(
        request,
        pk,
        f.ContactForm,
        svc.contact_schedule,
        title=_("Schedule a monitoring contact"),
        done=_("Contact scheduled."),
        form_kwargs={"unit_id": None, "initial": {"agent": request.user.pk}},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_done_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    contact = sel.contact_get(user=request.user, pk=pk)
    form = f.ContactDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.contact_done(actor=request.user, request=request, contact=contact, **form.cleaned_data)
        except DomainError as err:
            add_to_form(form, err)
        else:
            if form.cleaned_data["outcome"] == ContactOutcome.RELAPSE:
                messages.warning(request, _("Relapse recorded: do a new screening with the client."))
            else:
                messages.success(request, _("Contact recorded."))
            return redirect("clients:detail", pk=contact.client_id)
    return _form_page(request, form, title=_("Record a monitoring contact"), client=contact.client)


@login_required
@require_http_methods(["GET", "POST"])
def session_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.CLIENTS_EDIT)
    choices = sel.client_list(user=request.user, status=ClientStatus.ACTIVE).filter(
        unit_id=getattr(request.user, "unit_id", None) or 0
    )
    initial: dict[str, Any] = {}
    if request.GET.get("client"):
        initial["clients"] = [c for c in choices if str(c.pk) == request.GET["client"]]
    form = f.SessionForm(request.POST or None, clients=choices, initial=initial)
    if request.method == "GET":
        _audit_shown(request, choices, ClientAction.CLIENT_LISTED, purpose="session form")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            session = svc.session_record(
                actor=request.user,
                request=request,
                kind=d["kind"],
                held_on=d["held_on"],
                topic=d["topic"],
                clients=list(d["clients"]),
                notes=d["notes"],
                duration_minutes=d["duration_minutes"],
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(
                request,
                _("Session recorded with %(n)s client(s).") % {"n": session.attendance.count()},
            )
            if len(d["clients"]) == 1:
                return redirect("clients:detail", pk=d["clients"][0].pk)
            return redirect("clients:list")
    return _form_page(request, form, title=_("Record a session"))


# --- Episodes, completion, access log ---------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def close_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    client = sel.client_get_for_edit(user=request.user, pk=pk)
    form = f.CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.episode_close(actor=request.user, request=request, client=client, **form.cleaned_data)
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(
                request, _("Episode closed. Do the outcome screening if the client is available.")
            )
            return redirect("clients:detail", pk=client.pk)
    return _form_page(request, form, title=_("Close the episode"), client=client, destructive=True)


@login_required
@require_POST
def reopen_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    client = sel.client_get_for_edit(user=request.user, pk=pk)
    try:
        episode = svc.episode_reopen(actor=request.user, request=request, client=client)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("New episode %(n)s opened.") % {"n": episode.number})
    return redirect("clients:detail", pk=client.pk)


@login_required
def completion_letter_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    client = sel.client_get_for_edit(user=request.user, pk=pk)
    episode = sel.episode_current(client=client) or sel.episode_latest(client=client)
    status = completion_status(episode) if episode else None
    if status is None or not status.met:
        raise DomainError(
            _(
                "The completion rule is not met yet: "
                "%(n)s consecutive months of negative urine tests are needed."
            )
            % {"n": status.months_required if status else 3},
            code="completion_not_met",
            status=409,
        )
    audit_record(
        action=ClientAction.COMPLETION_LETTER_PRINTED,
        request=request,
        obj=client,
        identified=True,
        detail={"client": str(client.pk), "episode": episode.number if episode else None},
    )
    return render(
        request,
        "clients/completion_letter.html",
        {
            "client": client,
            "episode": episode,
            "status": status,
            "today": timezone.localdate(),
            "agent": request.user,
        },
    )


@login_required
def access_log_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    """For the DPO: every audit event about one client (reads and writes)."""
    client = sel.client_for_audit(user=request.user, pk=pk)
    events = sel.client_access_events(user=request.user, client=client)
    audit_record(
        action=AuditTrailAction.RECORD_ACCESS_VIEWED,
        request=request,
        obj=client,
        detail={"client": str(client.pk)},
    )
    return render(
        request,
        "clients/access_log.html",
        {
            "client": client,
            "page": paginate(request, events, per_page=50),
            "qs": querystring_without_page(request),
        },
    )
