"""The one error contract of the application.

Services raise :class:`DomainError` with a message in the user's language and a
stable machine-readable ``code``. One middleware turns it into an HTML error,
one API handler into JSON, and :func:`add_to_form` into form errors, so a user
never sees a stack trace for bad input.
"""

from __future__ import annotations

from typing import Any

from django import forms


class DomainError(Exception):
    """A rule of the domain refused an action.

    ``status`` is the HTTP status the error maps to (400 invalid, 403 not
    allowed, 404 not found or out of scope, 409 conflict). ``field`` names the
    input the message is about, when there is one.
    """

    status = 400

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        field: str | None = None,
        status: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.field = field
        if status is not None:
            self.status = status
        self.details = details or {}

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            data["field"] = self.field
        if self.details:
            data["details"] = self.details
        return data


class ConflictError(DomainError):
    status = 409


class NotAllowed(DomainError):
    status = 403


def add_to_form(form: forms.BaseForm, error: DomainError) -> None:
    """Attach a domain error to the form field it names (or the whole form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
