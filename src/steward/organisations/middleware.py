"""Attaches the viewer's ``Access`` to every request and makes holders of
the SIRO, central and regulator roles complete two-factor sign-in before
they reach anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from steward.organisations.access import access_for_user
from steward.organisations.models import TWO_FACTOR_ROLES

# Paths a person part-way through signing in may still reach.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/api/", "/healthz")


class AccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        access = access_for_user(request.user)
        request.access = access  # type: ignore[attr-defined]
        if (
            access.user_id is not None
            and access.has_any(TWO_FACTOR_ROLES)
            and not request.user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            return redirect("accounts:two_factor")
        return self.get_response(request)
