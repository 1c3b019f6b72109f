"""GOV.UK Frontend components as template tags, so that pages never repeat their markup."""

from __future__ import annotations

from django import forms, template
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

register = template.Library()

RISK_TAG_CLASSES = {
    "very_high": "govuk-tag--red",
    "high": "govuk-tag--orange",
    "medium": "govuk-tag--yellow",
    "low": "govuk-tag--green",
}


def _widget_kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    # CheckboxSelectMultiple is a subclass of RadioSelect: test it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


@register.inclusion_tag("components/field.html")
def govuk_field(field: forms.BoundField, classes: str = "", label_size: str = "s", hint: str = ""):
    """A form field as a GOV.UK form group: label, hint, error message, control."""
    kind = _widget_kind(field)
    widget = field.field.widget
    input_type = getattr(widget, "input_type", "text")
    value = field.value()
    if input_type == "password" and not getattr(widget, "render_value", False):
        value = None  # a password is never sent back in the page, even after an error
    if (
        kind == "input"
        and input_type == "date"
        and value is not None
        and hasattr(value, "isoformat")
    ):
        value = value.isoformat()
    if (
        kind == "input"
        and input_type == "datetime-local"
        and value is not None
        and hasattr(value, "strftime")
    ):
        value = value.strftime("%Y-%m-%dT%H:%M")
    selected = value if isinstance(value, list | tuple) else [value]
    selected = {str(v) for v in selected if v not in (None, "")}
    return {
        "field": field,
        "kind": kind,
        "input_type": input_type,
        "value": "" if value is None else value,
        "selected": selected,
        "classes": classes,
        "label_size": label_size,
        "hint": hint or field.help_text,
        "attrs": widget.attrs,
        "choices": list(getattr(field.field, "choices", []) or []),
    }


@register.filter
def risk_tag(level: str) -> str:
    return RISK_TAG_CLASSES.get(str(level), "govuk-tag--grey")


@register.simple_tag
def yes_no(value, past: bool = False) -> str:
    """Yes or No; `past=True` for a fact about something that happened (was the visit
    announced?), which Welsh answers with Do / Naddo rather than Ie / Na."""
    if past:
        return (
            pgettext("answer about the past", "Yes")
            if value
            else pgettext("answer about the past", "No")
        )
    return _("Yes") if value else _("No")
