"""Typed requests for views behind ``login_required``."""

from __future__ import annotations

from django.http import HttpRequest

from pulih.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User
