"""The assessment form, built from an instrument's definition, for any app to embed.

    FormClass = assessment_form_class(definition, get_language())
    form = FormClass(request.POST or None)
    if form.is_valid():
        assessment_record(actor=..., subject=..., person=..., **form.service_kwargs())

and in the template: {% include "instruments/_assessment_fields.html" with form=form %}
"""

from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigil.core.exceptions import ValidationFailed
from vigil.instruments import engine

ANSWER_PREFIX = "q_"


class AssessmentFormBase(forms.Form):
    """Shared behaviour; the fields are added by `assessment_form_class`."""

    definition: engine.Definition
    language: str
    decision_field_names: tuple[str, ...] = ()

    @property
    def template_notice(self) -> str:
        notice = self.definition.template_notice
        return notice.get(self.language) if notice else ""

    @property
    def title(self) -> str:
        return self.definition.title.get(self.language)

    def section_groups(self) -> list[dict]:
        """Each section's title and its questions' bound fields, in order."""
        return [
            {
                "title": s.title.get(self.language),
                "fields": [self[ANSWER_PREFIX + q.id] for q in s.questions],
            }
            for s in self.definition.sections
        ]

    def decision_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.decision_field_names]

    def answers(self) -> dict[str, str]:
        data = getattr(self, "cleaned_data", {})
        return {
            q.id: data[ANSWER_PREFIX + q.id]
            for q in self.definition.questions
            if data.get(ANSWER_PREFIX + q.id)
        }

    def service_kwargs(self) -> dict:
        """The keyword arguments `services.assessment_record` takes from this form."""
        data = self.cleaned_data
        return {
            "code": self.definition.code,
            "version": self.definition.version,
            "answers": self.answers(),
            "override_band": data.get("override_band") or None,
            "override_rationale": data.get("override_rationale", ""),
            "formulation": data.get("formulation", ""),
            "judgement_level": data.get("judgement_level") or None,
        }

    def clean(self):
        """Check the answers as the service will, so that every problem shows on its field."""
        cleaned = super().clean()
        if self.errors:
            return cleaned
        kwargs = self.service_kwargs()
        try:
            with translation.override(self.language):
                self.result, self.decision = engine.assess(
                    self.definition,
                    kwargs["answers"],
                    override_band=kwargs["override_band"],
                    override_rationale=kwargs["override_rationale"],
                    judgement_level=kwargs["judgement_level"],
                    formulation=kwargs["formulation"],
                )
        except ValidationFailed as exc:
            self.add_service_errors(exc)
        return cleaned

    def add_service_errors(self, exc: ValidationFailed) -> None:
        """Show a service's validation errors on the matching fields."""
        for field, message in exc.errors:
            name = field or None
            if name and name.startswith("answers."):
                name = ANSWER_PREFIX + name.removeprefix("answers.")
            self.add_error(name if name in self.fields else None, str(message))
        if not exc.errors:
            self.add_error(None, str(exc.message))


def _option_label(definition: engine.Definition, option: engine.Option, language: str) -> str:
    label = option.label.get(language)
    if not definition.is_scored or option.points is None:
        return label
    return ngettext(
        "%(label)s (%(points)s point)", "%(label)s (%(points)s points)", option.points
    ) % {
        "label": label,
        "points": option.points,
    }


def assessment_form_class(definition: engine.Definition, language: str) -> type[AssessmentFormBase]:
    """A form class for `definition` with its texts in `language` ("en" or "cy").

    One radio group per question (required unless the definition says otherwise); for a
    scored instrument that allows it, an override band and its rationale; for a structured
    one, the overall level and the case formulation.
    """
    language = "cy" if (language or "")[:2] == "cy" else "en"
    attrs: dict = {"definition": definition, "language": language}
    with translation.override(language):
        for question in definition.questions:
            attrs[ANSWER_PREFIX + question.id] = forms.ChoiceField(
                label=question.text.get(language),
                help_text=question.help.get(language) if question.help else "",
                required=question.required,
                choices=[(o.id, _option_label(definition, o, language)) for o in question.options],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer for “%(question)s”.")
                    % {"question": question.text.get(language)},
                    "invalid_choice": _("Choose one of the listed answers."),
                },
            )
        bands = [(b.id, b.label.get(language)) for b in definition.bands]
        decision: list[str] = []
        if definition.is_scored and definition.override_allowed:
            attrs["override_band"] = forms.ChoiceField(
                label=_("Override the band (optional)"),
                help_text=_("Only if your professional judgement differs from the computed band."),
                required=False,
                choices=[("", _("No override: use the computed band")), *bands],
                error_messages={"invalid_choice": _("Choose one of the listed bands.")},
            )
            attrs["override_rationale"] = forms.CharField(
                label=_("Reason for the override"),
                help_text=_(
                    "Required if you override the band. Say what the score does not reflect."
                ),
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            decision += ["override_band", "override_rationale"]
        if not definition.is_scored:
            attrs["judgement_level"] = forms.ChoiceField(
                label=_("Overall level (professional judgement)"),
                required=True,
                choices=bands,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose the overall level from your professional judgement."),
                    "invalid_choice": _("Choose one of the listed levels."),
                },
            )
            decision.append("judgement_level")
        if definition.formulation:
            attrs["formulation"] = forms.CharField(
                label=definition.formulation.label.get(language),
                help_text=definition.formulation.help.get(language)
                if definition.formulation.help
                else "",
                required=definition.formulation.required,
                widget=forms.Textarea(attrs={"rows": 8}),
                error_messages={"required": _("Write the case formulation.")},
            )
            decision.append("formulation")
    attrs["decision_field_names"] = tuple(decision)
    name = "AssessmentForm_" + definition.code.replace("-", "_") + f"_v{definition.version}"
    return type(name, (AssessmentFormBase,), attrs)
