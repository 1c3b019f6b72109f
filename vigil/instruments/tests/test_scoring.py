"""Scoring: property-based checks on generated and shipped instruments, and the override
and judgement rules."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.core.exceptions import ValidationFailed
from vigil.instruments import engine
from vigil.instruments.tests.helpers import arms, first_answers, last_answers, referral_risk
from vigil.instruments.tests.strategies import answers_for, scored_definitions

FAST = settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)


@st.composite
def definition_and_answers(draw):
    definition = engine.parse_definition(draw(scored_definitions()))
    return definition, draw(answers_for(definition))


def _expected_score(definition, answers):
    return sum(definition.question(q).option(o).points for q, o in answers.items())


@FAST
@given(case=definition_and_answers())
def test_it_scores_the_sum_of_the_chosen_points(case):
    definition, answers = case
    result = engine.score(definition, answers)
    assert result.score == _expected_score(definition, answers)
    assert sum(result.subtotals.values()) == result.score
    for section in definition.sections:
        assert result.subtotals[section.id] == sum(
            q.option(answers[q.id]).points for q in section.questions if q.id in answers
        )


@FAST
@given(case=definition_and_answers())
def test_it_gives_the_one_band_whose_range_holds_the_score(case):
    definition, answers = case
    result = engine.score(definition, answers)
    holding = [b.id for b in definition.bands if b.min <= result.score <= b.max]
    assert holding == [result.band]


@FAST
@given(case=definition_and_answers(), data=st.data())
def test_it_scores_the_same_whatever_the_order_or_the_run(case, data):
    definition, answers = case
    shuffled = dict(data.draw(st.permutations(list(answers.items()))))
    first, second = engine.score(definition, answers), engine.score(definition, shuffled)
    assert first == second == engine.score(definition, answers)


@FAST
@given(case=definition_and_answers(), data=st.data())
def test_it_always_rejects_invalid_answers(case, data):
    definition, answers = case
    required = [q.id for q in definition.questions if q.required]
    mistakes = ["unknown_option", "unknown_question", "not_a_string"]
    if required:
        mistakes.append("missing")
    mistake = data.draw(st.sampled_from(mistakes))
    broken = dict(answers)
    if mistake == "missing":
        target = data.draw(st.sampled_from(required))
        broken.pop(target, None)
    elif mistake == "unknown_option":
        target = data.draw(st.sampled_from([q.id for q in definition.questions]))
        broken[target] = "not_an_option"
    elif mistake == "unknown_question":
        target = "zz_not_a_question"
        broken[target] = "o0"
    else:
        target = data.draw(st.sampled_from([q.id for q in definition.questions]))
        broken[target] = 1
    with pytest.raises(ValidationFailed) as info:
        engine.score(definition, broken)
    assert ("answers." + target) in [f for f, _m in info.value.errors]


@FAST
@given(data=st.data())
def test_it_scores_the_shipped_referral_risk_tool(data):
    definition = referral_risk()
    answers = data.draw(answers_for(definition))
    result = engine.score(definition, answers)
    assert result.score == _expected_score(definition, answers)
    assert definition.band(result.band).contains(result.score)


def test_it_gives_the_lowest_and_highest_bands_at_the_extremes():
    definition = referral_risk()
    low, high = (
        engine.score(definition, first_answers(definition)),
        engine.score(definition, last_answers(definition)),
    )
    assert (low.score, low.band) == (0, "low")
    assert (high.score, high.band) == (42, "very_high")
    assert high.subtotals == {
        "previous_behaviours": 13,
        "access_to_children": 10,
        "current_facilitators": 15,
        "other_factors": 4,
    }


def test_it_names_every_missing_answer():
    definition = referral_risk()
    answers = first_answers(definition)
    del answers["grooming"], answers["domestic_abuse"]
    with pytest.raises(ValidationFailed) as info:
        engine.score(definition, answers)
    assert [f for f, _m in info.value.errors] == ["answers.grooming", "answers.domestic_abuse"]
    assert "grooming" in str(info.value.errors[0][1])


def test_it_refuses_answers_that_are_not_a_mapping():
    with pytest.raises(ValidationFailed):
        engine.score(referral_risk(), ["grooming", "yes"])


def test_it_needs_a_rationale_to_override_the_band():
    definition = referral_risk()
    with pytest.raises(ValidationFailed) as info:
        engine.assess(
            definition, first_answers(definition), override_band="high", override_rationale="  "
        )
    assert info.value.errors[0][0] == "override_rationale"
    result, decision = engine.assess(
        definition,
        first_answers(definition),
        override_band="high",
        override_rationale="Intelligence of a planned meeting.",
    )
    assert (decision.computed_band, decision.override_band, decision.final_band) == (
        "low",
        "high",
        "high",
    )
    assert result.band == "low"


def test_it_treats_choosing_the_computed_band_as_no_override():
    definition = referral_risk()
    _result, decision = engine.assess(definition, first_answers(definition), override_band="low")
    assert (
        decision.override_band == ""
        and decision.final_band == "low"
        and decision.override_rationale == ""
    )


def test_it_refuses_an_unknown_override_band_and_a_judgement_on_a_scored_tool():
    definition = referral_risk()
    with pytest.raises(ValidationFailed) as info:
        engine.assess(
            definition,
            first_answers(definition),
            override_band="extreme",
            override_rationale="x",
            judgement_level="high",
        )
    assert sorted(f for f, _m in info.value.errors) == ["judgement_level", "override_band"]


def test_it_refuses_an_override_when_the_tool_forbids_it():
    from vigil.instruments.tests.helpers import raw

    data = raw("referral-risk")
    data["override"]["allowed"] = False
    definition = engine.parse_definition(data)
    with pytest.raises(ValidationFailed) as info:
        engine.assess(
            definition, first_answers(definition), override_band="high", override_rationale="x"
        )
    assert info.value.errors[0][0] == "override_band"


def test_it_takes_the_level_of_a_structured_tool_from_the_assessor():
    definition = arms()
    answers = {q.id: "some" for q in definition.questions}
    result, decision = engine.assess(
        definition, answers, judgement_level="high", formulation="Formulation text."
    )
    assert result.score is None and result.band is None and result.subtotals == {}
    assert result.counts["risk_factors"] == {"not_present": 0, "some": 7, "present": 0}
    assert result.counts["protective_factors"] == {"not_present": 0, "some": 5, "strong": 0}
    assert decision.final_band == "high" and decision.computed_band is None


def test_it_reports_every_problem_of_a_structured_assessment_at_once():
    definition = arms()
    answers = {q.id: "some" for q in definition.questions}
    del answers["intimacy"]
    with pytest.raises(ValidationFailed) as info:
        engine.assess(definition, answers, override_band="low", formulation=" ")
    assert sorted(f for f, _m in info.value.errors) == [
        "answers.intimacy",
        "formulation",
        "judgement_level",
        "override_band",
    ]
