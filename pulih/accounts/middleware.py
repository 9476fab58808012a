from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from pulih.audit.codes import AuthAction
from pulih.audit.services import audit_record

SESSION_STARTED = "pulih_started_at"
SESSION_TOUCHED = "pulih_touched_at"


class SessionLifetimeMiddleware:
    """End sessions older than the absolute lifetime, however active; slide the idle timeout.

    The idle timeout is the session's expiry (``SESSION_COOKIE_AGE`` after its
    last save). Rather than saving the session on every request (a database
    write per page view), the session is touched, and so saved with a new
    expiry, when ``PULIH_SESSION_TOUCH_SECONDS`` (60) have passed since the last
    touch: an active user's session slides, at most that much early.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            started = request.session.get(SESSION_STARTED)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED] = now
            touched = request.session.get(SESSION_TOUCHED)
            if touched is None or now - float(touched) >= settings.PULIH_SESSION_TOUCH_SECONDS:
                request.session[SESSION_TOUCHED] = now  # modified: saved with a fresh expiry
            if started is not None and now - float(started) > settings.PULIH_SESSION_ABSOLUTE_SECONDS:
                audit_record(action=AuthAction.SESSION_EXPIRED, request=request, actor=user)
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                if request.path.startswith("/api/"):
                    return HttpResponse(status=401)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class SecondFactorEnrollmentMiddleware:
    """Send users whose role requires a second factor to set it up first.

    Until they have, every page except the set-up, sign-out and language switch
    redirects there, and the API refuses them.
    """

    EXEMPT = ("/accounts/2fa/", "/accounts/logout/", "/i18n/", "/static/", "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from pulih.accounts.twofactor import has_second_factor, second_factor_required

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.EXEMPT)
            and second_factor_required(user)
            and not has_second_factor(user)
        ):
            if request.path.startswith("/api/"):
                return HttpResponse(status=403)
            return redirect("accounts:twofactor_setup")
        return self.get_response(request)
