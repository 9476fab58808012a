from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pulih.accounts import lockout
from pulih.accounts.forms import LoginForm, SecondFactorForm, TokenForm, UserForm
from pulih.accounts.http import AuthenticatedRequest
from pulih.accounts.middleware import SESSION_STARTED
from pulih.accounts.models import ApiToken, RecoveryCode, User
from pulih.accounts.roles import Perm
from pulih.accounts.scoping import get_scoped_or_404, require, scope_queryset
from pulih.accounts.services import token_create, token_revoke, user_create, user_update
from pulih.accounts.twofactor import (
    has_second_factor,
    recovery_codes_regenerate,
    second_factor_disable,
    second_factor_required,
    second_factor_verify,
    sessions_end,
    totp_begin_setup,
    totp_confirm,
)
from pulih.audit.codes import AuthAction
from pulih.audit.services import audit_record
from pulih.core.errors import DomainError, add_to_form
from pulih.core.pagination import paginate, querystring_without_page


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home:index")
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        ip = request.META.get("REMOTE_ADDR")
        if lockout.is_locked(username):
            with transaction.atomic():
                audit_record(action=AuthAction.LOCKED_OUT, request=request, detail={"username": username})
            form.add_error(
                None,
                _("Too many failed attempts. Try again in %(minutes)d minutes.")
                % {"minutes": settings.PULIH_LOCKOUT_COOLOFF_SECONDS // 60},
            )
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                with transaction.atomic():
                    locked = lockout.record_failure(username, ip)
                    audit_record(
                        action=AuthAction.LOGIN_FAILED,
                        request=request,
                        detail={"username": username, "locked": locked},
                    )
                form.add_error(None, _("Wrong username or password."))
            else:
                if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                    next_url = ""
                if has_second_factor(user):
                    request.session[PENDING_USER] = user.pk
                    request.session[PENDING_NEXT] = next_url
                    request.session[PENDING_AT] = time.time()
                    return redirect("accounts:twofactor_verify")
                return _complete_login(request, user, next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


PENDING_USER = "pulih_2fa_user"
PENDING_NEXT = "pulih_2fa_next"
PENDING_AT = "pulih_2fa_at"
PENDING_SECONDS = 300


def _complete_login(request: HttpRequest, user: Any, next_url: str) -> HttpResponse:
    lockout.clear(user.username)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_STARTED] = time.time()
    with transaction.atomic():
        audit_record(action=AuthAction.LOGIN, request=request, actor=user)
    return redirect(next_url or "home:index")


@require_http_methods(["GET", "POST"])
def twofactor_verify(request: HttpRequest) -> HttpResponse:
    """Second step of signing in: a code from the authenticator or a recovery code."""
    pk = request.session.get(PENDING_USER)
    started = float(request.session.get(PENDING_AT, 0))
    user = User.objects.filter(pk=pk, is_active=True).first() if pk else None
    if user is None or time.time() - started > PENDING_SECONDS:
        request.session.pop(PENDING_USER, None)
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if lockout.is_locked(user.username):
            form.add_error(
                None,
                _("Too many failed attempts. Try again in %(minutes)d minutes.")
                % {"minutes": settings.PULIH_LOCKOUT_COOLOFF_SECONDS // 60},
            )
        elif second_factor_verify(user=user, code=form.cleaned_data["code"], request=request):
            next_url = request.session.get(PENDING_NEXT, "")
            for key in (PENDING_USER, PENDING_NEXT, PENDING_AT):
                request.session.pop(key, None)
            return _complete_login(request, user, next_url)
        else:
            with transaction.atomic():
                lockout.record_failure(user.username, request.META.get("REMOTE_ADDR"))
            form.add_error("code", _("That code is not right. Check the time on your phone and try again."))
    return render(request, "accounts/twofactor_verify.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def twofactor_setup(request: AuthenticatedRequest) -> HttpResponse:
    if has_second_factor(request.user):
        return redirect("accounts:twofactor")
    device, uri = totp_begin_setup(user=request.user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = totp_confirm(user=request.user, code=form.cleaned_data["code"], request=request)
        except DomainError as err:
            add_to_form(form, err)
        else:
            update_session_auth_hash(request, request.user)
            return render(request, "accounts/twofactor_codes.html", {"codes": codes})
    secret = device.secret
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(
        request,
        "accounts/twofactor_setup.html",
        {
            "form": form,
            "secret": grouped,
            "uri": uri,
            "required": second_factor_required(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def twofactor_manage(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "disable":
            if second_factor_required(user):
                messages.error(request, _("Your role requires a second factor; it cannot be turned off."))
            else:
                second_factor_disable(actor=user, user=user, request=request)
                update_session_auth_hash(request, user)
                messages.success(request, _("Second factor turned off."))
        elif action == "codes" and has_second_factor(user):
            with transaction.atomic():
                codes = recovery_codes_regenerate(user=user)
            return render(request, "accounts/twofactor_codes.html", {"codes": codes})
        elif action == "end_sessions":
            sessions_end(actor=user, user=user, request=request)
            update_session_auth_hash(request, user)
            messages.success(request, _("Your other sessions have been ended."))
        return redirect("accounts:twofactor")
    return render(
        request,
        "accounts/twofactor.html",
        {
            "enabled": has_second_factor(user),
            "required": second_factor_required(user),
            "codes_left": RecoveryCode.objects.filter(user=user, used_at__isnull=True).count(),
        },
    )


@login_required
@require_POST
def user_end_sessions(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, Perm.USERS_MANAGE)
    target = get_scoped_or_404(request.user, User.objects.all(), Perm.USERS_MANAGE, pk=pk)
    sessions_end(actor=request.user, user=target, request=request)
    if request.POST.get("remove_second_factor"):
        second_factor_disable(actor=request.user, user=target, request=request)
    messages.success(request, _("All sessions of %(name)s have been ended.") % {"name": target.username})
    return redirect("accounts:user_edit", pk=target.pk)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        with transaction.atomic():
            audit_record(action=AuthAction.LOGOUT, request=request)
        logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("accounts:login")


@login_required
def user_list(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Perm.USERS_MANAGE)
    qs = scope_queryset(request.user, User.objects.select_related("office", "unit"), Perm.USERS_MANAGE)
    search = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    if search:
        qs = qs.filter(Q(username__icontains=search) | Q(full_name__icontains=search))
    if role:
        qs = qs.filter(role=role)
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": paginate(request, qs.order_by("username")),
            "q": search,
            "role": role,
            "roles": User._meta.get_field("role").choices,
            "qs": querystring_without_page(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create_view(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Perm.USERS_MANAGE)
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_create(
                actor=request.user,
                request=request,
                username=data["username"],
                full_name=data["full_name"],
                role=data["role"],
                password=data["password"],
                office=data["office"],
                unit=data["unit"],
                email=data["email"],
                phone=data["phone"],
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("User %(name)s created.") % {"name": user.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, Perm.USERS_MANAGE)
    target = get_scoped_or_404(request.user, User.objects.all(), Perm.USERS_MANAGE, pk=pk)
    initial = {
        "username": target.username,
        "full_name": target.full_name,
        "role": target.role,
        "office": target.office_id,
        "unit": target.unit_id,
        "email": target.email,
        "phone": target.phone,
        "is_active": target.is_active,
    }
    form = UserForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user_update(
                actor=request.user,
                request=request,
                user=target,
                full_name=data["full_name"],
                role=data["role"],
                office=data["office"],
                unit=data["unit"],
                is_active=data["is_active"],
                email=data["email"],
                phone=data["phone"],
                password=data["password"],
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "target": target})


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Perm.TOKENS_OWN)
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = token_create(
                user=request.user, request=request, name=form.cleaned_data["name"]
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            form = TokenForm()
    tokens = scope_queryset(request.user, ApiToken.objects.all(), Perm.TOKENS_OWN)
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})


@login_required
@require_POST
def token_revoke_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_scoped_or_404(request.user, ApiToken.objects.all(), Perm.TOKENS_OWN, pk=pk)
    token_revoke(user=request.user, request=request, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
