"""The header navigation, phase banner and footer for every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from steward.organisations.models import Role


def _items(request: HttpRequest) -> list[tuple[str, str]]:
    access = getattr(request, "access", None)
    if access is None or access.user_id is None:
        return []
    items = [("Home", reverse("dashboard:home"))]
    if access.roles - {Role.AUDITOR}:
        items.append(("Organisations", reverse("organisations:list")))
        items.append(("Assets", reverse("assets:list")))
        items.append(("Standards", reverse("controls:list")))
    if access.has_any(
        [Role.SIRO, Role.IAO, Role.GUARDIAN, Role.CENTRAL]
    ):
        items.append(("Assessments", reverse("assessments:list")))
    if access.roles - {Role.AUDITOR}:
        items.append(("Incidents", reverse("incidents:list")))
        items.append(("Actions", reverse("actions:list")))
        items.append(("Scans", reverse("scans:list")))
        items.append(("Audit trail", reverse("audit:list")))
    if Role.AUDITOR in access.roles:
        items.append(("Notifications", reverse("incidents:notifications")))
    if access.roles & {Role.AUDITOR, Role.CENTRAL}:
        items.append(("Ledger", reverse("audit:ledger")))
    if Role.CENTRAL in access.roles and request.user.is_staff:
        items.append(("Administration", reverse("admin:index")))
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    path = request.path
    items = _items(request)
    nav = [
        {
            "text": text,
            "href": href,
            "active": path == href or (href != "/" and path.startswith(href)),
        }
        for text, href in items
    ]
    signed_in = bool(items)
    slots = {}
    if signed_in:
        slots["navigationEnd"] = (
            '<li class="govuk-service-navigation__item">'
            f'<a class="govuk-service-navigation__link" '
            f'href="{reverse("dashboard:signout")}">Sign out</a></li>'
        )
    return {
        "service_name": settings.SERVICE_NAME,
        "service_navigation": {
            "serviceName": settings.SERVICE_NAME,
            "serviceUrl": "/",
            "navigation": nav,
            "slots": slots,
        },
        "phase_banner": {
            "tag": {"text": "Beta"},
            "text": "This is a new service. Demo data is fictional.",
        },
        "footer": {
            "meta": {
                "items": [
                    {"text": "API documentation", "href": "/api/v1/docs"},
                    {
                        "text": "Accessibility",
                        "href": reverse("dashboard:accessibility"),
                    },
                ]
            },
        },
    }
