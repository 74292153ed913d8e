"""Turns a Django page into the GOV.UK pagination component's params."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page
from django.http import HttpRequest

register = template.Library()


def _href(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"


@register.filter
def pagination_params(page: Page, request: HttpRequest) -> dict[str, Any]:
    last = page.paginator.num_pages
    items: list[dict[str, Any]] = []
    previous_shown = 0
    for n in range(1, last + 1):
        if n in (1, last) or abs(n - page.number) <= 1:
            if previous_shown and n - previous_shown > 1:
                items.append({"ellipsis": True})
            items.append(
                {
                    "number": str(n),
                    "href": _href(request, n),
                    "current": n == page.number,
                }
            )
            previous_shown = n
    params: dict[str, Any] = {"items": items}
    if page.has_previous():
        params["previous"] = {
            "href": _href(request, page.previous_page_number())
        }
    if page.has_next():
        params["next"] = {"href": _href(request, page.next_page_number())}
    return params
