"""The base form every Steward form uses, rendered as GOV.UK components.

``GovUKForm`` adds ``error_summary()`` (the error summary at the top of the
page, each error linking to its field) and ``field_html(name)`` (the field
as the matching Design System component, with its error message).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.safestring import SafeString

from steward.common import components
from steward.common.errors import Invalid

# Dates as people type them: 27/3/2024, 27 3 2024, 27-3-2024 or ISO.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]


def yes_no(value: str | None) -> bool | None:
    """A "yes" / "no" choice as True / False; anything else (e.g. "Any")
    as None."""
    return {"yes": True, "no": False}.get(value or "")


def required(message: str) -> dict[str, str]:
    """``error_messages`` saying what to enter when a field is empty."""
    return {"required": message}


class GovUKFormMixin:
    """Mix into a ``forms.Form`` or ``forms.ModelForm``."""

    def error_summary(self) -> SafeString | str:
        form: forms.BaseForm = self  # type: ignore[assignment]
        if not form.errors:
            return ""
        items = []
        for name, errors in form.errors.items():
            href = (
                f"#{form[name].id_for_label}" if name in form.fields else None
            )
            for error in errors:
                items.append({"text": error, "href": href})
        return components.render(
            "error-summary",
            {"titleText": "There is a problem", "errorList": items},
        )

    def add_invalid(self, exc: Invalid) -> None:
        """Put a service's field errors on the form."""
        form: forms.BaseForm = self  # type: ignore[assignment]
        for name, message in exc.errors.items():
            form.add_error(name if name in form.fields else None, message)

    def field_html(self, name: str) -> SafeString:
        form: forms.BaseForm = self  # type: ignore[assignment]
        return render_field(form[name])


def _common(bf: forms.BoundField) -> dict[str, Any]:
    params: dict[str, Any] = {"name": bf.html_name, "id": bf.id_for_label}
    if bf.help_text:
        params["hint"] = {"text": str(bf.help_text)}
    if bf.errors:
        params["errorMessage"] = {"text": " ".join(bf.errors)}
    return params


def _label(bf: forms.BoundField) -> dict[str, Any]:
    return {"text": str(bf.label), "classes": "govuk-label--s"}


def _choice_items(bf: forms.BoundField, checked: set[str]) -> list[dict]:
    return [
        {
            "value": str(value),
            "text": str(text),
            "checked": str(value) in checked,
        }
        for value, text in bf.field.choices  # type: ignore[attr-defined]
        if str(value) != ""
    ]


def render_field(bf: forms.BoundField) -> SafeString:
    widget = bf.field.widget
    params = _common(bf)
    value = bf.value()
    # CheckboxSelectMultiple is a subclass of RadioSelect: test it first.
    if isinstance(widget, forms.RadioSelect) and not isinstance(
        widget, forms.CheckboxSelectMultiple
    ):
        params.update(
            fieldset={
                "legend": {
                    "text": str(bf.label),
                    "classes": "govuk-fieldset__legend--s",
                }
            },
            idPrefix=bf.id_for_label,
            items=_choice_items(
                bf, {str(value)} if value not in (None, "") else set()
            ),
        )
        params.pop("id")
        return components.render("radios", params)
    if isinstance(widget, forms.CheckboxSelectMultiple):
        params.update(
            fieldset={
                "legend": {
                    "text": str(bf.label),
                    "classes": "govuk-fieldset__legend--s",
                }
            },
            idPrefix=bf.id_for_label,
            items=_choice_items(bf, {str(v) for v in value or []}),
        )
        params.pop("id")
        return components.render("checkboxes", params)
    if isinstance(widget, forms.CheckboxInput):
        params.update(
            idPrefix=bf.id_for_label,
            items=[
                {
                    "value": "on",
                    "text": str(bf.label),
                    "checked": bool(value),
                    "id": bf.id_for_label,
                }
            ],
        )
        params.pop("id")
        return components.render("checkboxes", params)
    params["label"] = _label(bf)
    if isinstance(widget, forms.Select):
        params["items"] = [
            {"value": str(v), "text": str(t), "selected": str(v) == str(value)}
            for v, t in bf.field.choices  # type: ignore[attr-defined]
        ]
        return components.render("select", params)
    if isinstance(widget, forms.Textarea):
        params["value"] = value or ""
        return components.render("textarea", params)
    if isinstance(widget, forms.PasswordInput):
        params["autocomplete"] = widget.attrs.get(
            "autocomplete", "current-password"
        )
        return components.render("password-input", params)
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return components.render("file-upload", params)
    params["value"] = "" if value is None else str(value)
    params["type"] = getattr(widget, "input_type", "text")
    for attr in ("autocomplete", "inputmode", "spellcheck", "autocapitalize"):
        if attr in widget.attrs:
            params[attr] = widget.attrs[attr]
    if "class" in widget.attrs:
        params["classes"] = widget.attrs["class"]
    return components.render("input", params)


class GovUKForm(GovUKFormMixin, forms.Form):
    # GOV.UK forms show their own error messages; the browser's built-in
    # validation would show different ones first.
    use_required_attribute = False


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    use_required_attribute = False
