"""The JSON API under /api/v1/, with its OpenAPI document.

Two ways in: the browser's session (with two-factor done where the role
needs it, and CSRF on writes) and per-organisation API keys sent as
``Authorization: Bearer stw_...``. Both produce the same ``Access`` that
the pages use, so the same selectors and services apply.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from steward.actions.api import router as actions_router
from steward.assets.api import router as assets_router
from steward.common.errors import Forbidden, Invalid, NotFound
from steward.controls.api import router as controls_router
from steward.incidents.api import router as incidents_router
from steward.organisations.access import (
    Access,
    access_for_api_key,
    access_for_user,
)
from steward.organisations.api import router as organisations_router
from steward.organisations.models import TWO_FACTOR_ROLES
from steward.organisations.services import apikey_authenticate
from steward.scans.api import router as scans_router
from steward.trail.api import router as ledger_router


class ApiKeyAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Access | None:
        key = apikey_authenticate(token)
        return access_for_api_key(key) if key else None


class VerifiedSessionAuth(SessionAuth):
    """The browser's session, refused until two-factor is done for the
    roles that need it."""

    def authenticate(self, request: HttpRequest, key: Any) -> Access | None:
        user = super().authenticate(request, key)
        if user is None:
            return None
        access = access_for_user(user)
        if access.has_any(TWO_FACTOR_ROLES) and not user.is_verified():
            return None
        return access


api = NinjaAPI(
    title="Steward API",
    version="1",
    description=(
        "Steward's API for agents, scripts and integrations. Authenticate "
        "with an organisation's API key (Authorization: Bearer stw_...) "
        "or, from the browser, with your signed-in session."
    ),
    auth=[ApiKeyAuth(), VerifiedSessionAuth()],
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, body: dict) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return _error(request, 404, {"detail": str(exc)})


@api.exception_handler(Forbidden)
def _forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
    return _error(request, 403, {"detail": str(exc)})


@api.exception_handler(Invalid)
def _invalid(request: HttpRequest, exc: Invalid) -> HttpResponse:
    return _error(
        request,
        422,
        {"detail": "The request has problems", "errors": exc.errors},
    )


api.add_router("/", organisations_router)
api.add_router("/", assets_router)
api.add_router("/", controls_router)
api.add_router("/", ledger_router)
api.add_router("/", scans_router)
api.add_router("/", incidents_router)
api.add_router("/", actions_router)
