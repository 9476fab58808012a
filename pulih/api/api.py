"""The versioned JSON API, ``/api/v1/``, assembled from each app's router.

Each domain app keeps its endpoints in its own ``api.py`` exposing
``router``; this leaf module mounts them. The OpenAPI document is served at
``/api/v1/openapi.json``.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as ModelValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from pulih.api.auth import AUTH
from pulih.core.errors import DomainError

# Every operation can refuse with these; the bodies all have the shape of ERROR_SCHEMA.
STANDARD_ERRORS = {
    "400": "Refused by a domain rule (`code` says which)",
    "401": "Not signed in, or the token is not valid",
    "403": "Not allowed for your role or outside your work area",
    "404": "Not found (or outside your work area)",
    "409": "Conflicts with the current state (e.g. a replayed key with other content)",
    "422": "The request is not valid (`errors` or `field` says where)",
}
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "field": {"type": "string"},
        "details": {"type": "object"},
        "errors": {"type": "array"},
    },
}


def _has_nul(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


class PulihParser(Parser):
    """JSON bodies and query strings without NUL characters.

    PostgreSQL cannot store NUL in text, so a NUL that reached a service
    would end as a database error (500); it is refused here as invalid input.
    A body refused here answers 400 ("Cannot parse request body"), a query 422.
    """

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        if _has_nul(data):
            raise ValueError("NUL character in the request body")
        return data

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        result = super().parse_querydict(data, list_fields, request)
        if _has_nul(result):
            raise DomainError("NUL character in the request.", code="invalid", status=422)
        return result


class PulihAPI(NinjaAPI):
    """The API, with its error answers declared on every operation (an honest schema)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                for status, description in STANDARD_ERRORS.items():
                    responses.setdefault(status, {"description": description, "content": ref})
        return schema


api = PulihAPI(
    title="Pulih API",
    version="1",
    description=(
        "JSON API of Pulih for the offline field app, integrations and tests. "
        "Authenticate with the browser session or a personal token "
        "(`Authorization: Bearer pulih_…`, created under Tokens)."
    ),
    urls_namespace="api",
    parser=PulihParser(),
    auth=AUTH,
    docs_url=None,
)

# Mount order is the dependency order; apps that are not installed yet are skipped.
ROUTERS = [
    ("accounts", "pulih.accounts.api"),
    ("regions", "pulih.regions.api"),
    ("offices", "pulih.organisations.api"),
    ("units", "pulih.units.api"),
    ("clients", "pulih.clients.api"),
    ("screening", "pulih.screening.api"),
    ("referrals", "pulih.referrals.api"),
    ("mapping", "pulih.mapping.api"),
    ("prevention", "pulih.prevention.api"),
    ("reports", "pulih.reports.api"),
    ("sync", "pulih.sync.api"),
    ("privacy", "pulih.privacy.api"),
]

for prefix, module_name in ROUTERS:
    if find_spec(module_name.rsplit(".", 1)[0]) and find_spec(module_name):
        api.add_router(f"/{prefix}/", import_module(module_name).router)


def _error(request: HttpRequest, status: int, code: str, message: str, **extra: object) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden", "Not allowed for your role.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "Not found.")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "Sign in or send a valid token.")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, 422, "invalid", "The request is not valid.", errors=exc.errors)


@api.exception_handler(ModelValidationError)
def _model_invalid(request: HttpRequest, exc: ModelValidationError) -> HttpResponse:
    # A service's full_clean() refused the data: the client sent something
    # invalid, which is a 422 like any other validation failure, never a 500.
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    field = next(iter(errors), "") if hasattr(exc, "error_dict") else ""
    return _error(
        request,
        422,
        "invalid",
        "; ".join(f"{k}: {', '.join(v)}" if k else ", ".join(v) for k, v in errors.items()),
        field=field,
        errors=[{"field": k, "messages": v} for k, v in errors.items()],
    )


HTTP_ERROR_CODES = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Raised by django-ninja itself, e.g. "CSRF check Failed" for a session without its token.
    return _error(request, exc.status_code, HTTP_ERROR_CODES.get(exc.status_code, "error"), str(exc))
