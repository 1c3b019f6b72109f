"""The assessment form built from a definition."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from vigil.instruments.forms import assessment_form_class
from vigil.instruments.tests.helpers import arms, referral_risk


def _post(definition, answers, **extra):
    return {**{f"q_{q}": o for q, o in answers.items()}, **extra}


def test_it_builds_a_radio_group_per_question_in_the_language_asked():
    definition = referral_risk()
    form = assessment_form_class(definition, "cy")()
    assert [f for f in form.fields if f.startswith("q_")] == [
        f"q_{q.id}" for q in definition.questions
    ]
    grooming = form.fields["q_grooming"]
    assert grooming.label.startswith("A oes tystiolaeth o feithrin perthynas amhriodol")
    assert grooming.choices[1][0] == "yes" and grooming.choices[1][1].startswith("Oes (4 ")
    assert "override_band" in form.fields and "judgement_level" not in form.fields
    english = assessment_form_class(definition, "en")()
    assert english.fields["q_grooming"].choices == [
        ("no", "No (0 points)"),
        ("yes", "Yes (4 points)"),
    ]


def test_it_gives_the_service_arguments_from_a_valid_form():
    definition = referral_risk()
    answers = {q.id: q.options[0].id for q in definition.questions}
    form = assessment_form_class(definition, "en")(
        _post(
            definition, answers, override_band="medium", override_rationale="Recent intelligence."
        )
    )
    assert form.is_valid(), form.errors
    kwargs = form.service_kwargs()
    assert kwargs["answers"] == answers and kwargs["override_band"] == "medium"
    assert form.decision.final_band == "medium" and form.result.score == 0


def test_it_shows_each_problem_on_its_field():
    definition = referral_risk()
    answers = {q.id: q.options[0].id for q in definition.questions}
    del answers["incitement"]
    form = assessment_form_class(definition, "en")(
        _post(definition, answers, override_band="high", q_grooming="maybe")
    )
    assert not form.is_valid()
    assert "Choose an answer" in form.errors["q_incitement"][0]
    assert "q_grooming" in form.errors
    answers["incitement"] = "no"
    answers["grooming"] = "no"
    form = assessment_form_class(definition, "en")(_post(definition, answers, override_band="high"))
    assert not form.is_valid()
    assert list(form.errors) == ["override_rationale"]


def test_it_asks_a_structured_tool_for_a_level_and_a_formulation():
    definition = arms()
    form_class = assessment_form_class(definition, "en")
    answers = {q.id: "not_present" for q in definition.questions}
    form = form_class(_post(definition, answers))
    assert not form.is_valid()
    assert set(form.errors) == {"judgement_level", "formulation"}
    assert "override_band" not in form.fields
    form = form_class(_post(definition, answers, judgement_level="low", formulation="Stable."))
    assert form.is_valid(), form.errors
    assert form.service_kwargs()["judgement_level"] == "low"


@pytest.mark.parametrize(
    "language,notice", [("en", "licensed KIRAT definition"), ("cy", "KIRAT trwyddedig")]
)
def test_it_renders_the_fields_and_the_template_notice(language, notice):
    definition = referral_risk()
    with translation.override(language):
        form = assessment_form_class(definition, language)()
        html = render_to_string("instruments/_assessment_fields.html", {"form": form})
    assert notice in html
    assert 'name="q_grooming"' in html and 'name="override_rationale"' in html
    assert html.count("govuk-fieldset__heading") == 5
