"""GOV.UK Design System components rendered by the official macros.

``govuk-frontend-jinja`` carries the Design System's own Nunjucks macros
ported to Jinja; ``render("input", {...})`` calls ``govukInput`` with the
same parameters the Design System documents. Pages never hand-copy
component HTML.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, PackageLoader, PrefixLoader, Template

_ENV = Environment(
    loader=PrefixLoader(
        {"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}
    ),
    autoescape=True,
)


def _macro_name(component: str) -> str:
    return "govuk" + "".join(part.title() for part in component.split("-"))


@cache
def _template(component: str) -> Template:
    macro = _macro_name(component)
    return _ENV.from_string(
        f"{{%- from 'govuk_frontend_jinja/components/{component}/macro.html'"
        f" import {macro} -%}}{{{{ {macro}(params) }}}}"
    )


def render(component: str, params: dict[str, Any]) -> SafeString:
    """Render one component, e.g. ``render("tag", {"text": "Overdue"})``."""
    return mark_safe(_template(component).render(params=params))  # noqa: S308
