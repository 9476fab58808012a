"""Kept for the API assembly only; the classes live in :mod:`pulih.accounts.api_auth`."""

from pulih.accounts.api_auth import AUTH, ActiveSessionAuth, TokenAuth

__all__ = ["AUTH", "ActiveSessionAuth", "TokenAuth"]
