"""Template tags that put GOV.UK components and form fields on a page."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from steward.common import components
from steward.common.forms import render_field

register = template.Library()


@register.simple_tag
def govuk(
    component: str, params: dict[str, Any] | None = None, **kwargs: Any
) -> SafeString:
    """``{% govuk "tag" text="Overdue" %}`` or ``{% govuk "table" t %}``."""
    return components.render(component, {**(params or {}), **kwargs})


@register.simple_tag
def govuk_field(field: BoundField) -> SafeString:
    return render_field(field)
