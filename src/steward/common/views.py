"""The one way a page submits a form to a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpRequest

from steward.common.errors import Invalid
from steward.common.forms import GovUKFormMixin

T = TypeVar("T")


def submitted(
    request: HttpRequest,
    form: GovUKFormMixin,
    write: Callable[[dict[str, Any]], T],
    success: str,
) -> T | None:
    """When ``form`` was posted and is valid, call ``write`` with its
    cleaned data. On success, show ``success`` on the next page and return
    what ``write`` returned (redirect then); when the service refuses the
    input, put its errors on the form and return None (render it again)."""
    if request.method != "POST" or not form.is_valid():  # type: ignore[attr-defined]
        return None
    try:
        result = write(form.cleaned_data)  # type: ignore[attr-defined]
    except Invalid as exc:
        form.add_invalid(exc)
        return None
    messages.success(request, success)
    return result
