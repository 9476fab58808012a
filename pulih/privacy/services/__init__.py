"""Every write of the privacy app (see the modules for each sub-domain)."""

from pulih.privacy.services.requests import request_close, request_receive, request_verify
from pulih.privacy.services.retention import retention_rule_update, retention_run
from pulih.privacy.services.subject import (
    access_export,
    client_erase,
    client_rectify,
    client_restrict,
    client_restriction_lift,
)

__all__ = [
    "access_export",
    "client_erase",
    "client_rectify",
    "client_restrict",
    "client_restriction_lift",
    "request_close",
    "request_receive",
    "request_verify",
    "retention_rule_update",
    "retention_run",
]
