"""A multiple-choice field renders as GOV.UK checkboxes, not radios
(Django's CheckboxSelectMultiple is a subclass of RadioSelect)."""

from __future__ import annotations

from django import forms

from steward.common.forms import GovUKForm


class _Form(GovUKForm):
    many = forms.MultipleChoiceField(
        label="Pick some",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
    )
    one = forms.ChoiceField(
        label="Pick one",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.RadioSelect,
    )


def test_checkboxes_are_checkboxes_and_radios_radios() -> None:
    form = _Form(initial={"many": ["a", "b"]})
    many = str(form.field_html("many"))
    assert 'type="checkbox"' in many and 'type="radio"' not in many
    assert many.count("checked") == 2
    one = str(form.field_html("one"))
    assert 'type="radio"' in one and 'type="checkbox"' not in one
