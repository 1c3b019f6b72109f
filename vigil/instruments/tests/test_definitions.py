"""Loading and validating definitions: the shipped ones pass, each kind of mistake is named."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.instruments import engine
from vigil.instruments.tests.helpers import raw
from vigil.instruments.tests.strategies import scored_definitions


def _problems(data, source="") -> list[str]:
    with pytest.raises(engine.DefinitionError) as info:
        engine.parse_definition(data, source=source)
    return info.value.problems


def test_it_loads_both_shipped_definitions():
    registry = engine.Registry.from_directory(engine.DEFINITIONS_DIR)
    assert [d.key for d in registry.all()] == [("arms", 1), ("referral-risk", 1)]
    referral = registry.get("referral-risk", 1)
    assert referral.is_scored and referral.supervisor_signoff and referral.override_allowed
    assert [s.id for s in referral.sections] == [
        "previous_behaviours",
        "access_to_children",
        "current_facilitators",
        "other_factors",
    ]
    assert len(referral.questions) == 14
    assert [b.id for b in referral.bands] == ["low", "medium", "high", "very_high"]
    assert "licensed KIRAT definition" in referral.template_notice.en
    assert "KIRAT trwyddedig" in referral.template_notice.cy
    arms = registry.get("arms", 1)
    assert not arms.is_scored and arms.formulation.required and not arms.override_allowed
    assert [b.id for b in arms.bands] == ["low", "medium", "high", "very_high"]
    assert "ARMS-style" in arms.template_notice.en


def test_it_has_every_shipped_text_in_welsh_and_different_from_english():
    for definition in engine.registry().all():
        texts = [definition.title, definition.description, definition.template_notice]
        for section in definition.sections:
            texts.append(section.title)
            for q in section.questions:
                texts += [q.text, q.help, *[o.label for o in q.options]]
        texts += [b.label for b in definition.bands]
        for text in texts:
            assert text.en and text.cy
            assert text.cy != text.en, text


def test_it_finds_the_latest_version(tmp_path):
    for version in (1, 3, 2):
        data = raw("referral-risk")
        data["version"] = version
        (tmp_path / f"referral-risk-{version}.json").write_text(json.dumps(data))
    registry = engine.Registry.from_directory(tmp_path)
    assert registry.latest("referral-risk").version == 3
    assert registry.find("referral-risk").version == 3
    assert registry.find("referral-risk", 2).version == 2
    assert registry.latest("nothing") is None


def _dup_question(d):
    d["sections"][1]["questions"][0]["id"] = d["sections"][0]["questions"][0]["id"]


def _dup_section(d):
    d["sections"][1]["id"] = d["sections"][0]["id"]


def _dup_option(d):
    d["sections"][0]["questions"][1]["options"][1]["id"] = "no"


def _dup_band(d):
    d["bands"][1]["id"] = "low"


def _overlap(d):
    d["bands"][1]["min"] = 6


def _gap(d):
    d["bands"][1]["min"] = 9  # score 8 has no band


def _short_top(d):
    d["bands"][-1]["max"] = 40


def _high_bottom(d):
    d["bands"][0]["min"] = 1


def _min_above_max(d):
    d["bands"][0]["max"] = -1


def _no_points(d):
    del d["sections"][2]["questions"][0]["options"][1]["points"]


def _text_points(d):
    d["sections"][2]["questions"][0]["options"][1]["points"] = "4"


def _bool_points(d):
    d["sections"][2]["questions"][0]["options"][1]["points"] = True


def _no_welsh_question(d):
    del d["sections"][0]["questions"][0]["text"]["cy"]


def _blank_welsh_option(d):
    d["sections"][0]["questions"][0]["options"][0]["label"]["cy"] = "  "


def _no_welsh_notice(d):
    d["template_notice"] = {"en": "Template"}


def _no_title(d):
    del d["title"]


def _unknown_kind(d):
    d["kind"] = "calculated"


def _unknown_key(d):
    d["supervisor_sign_off"] = True


def _no_scoring(d):
    del d["scoring"]


def _no_rationale(d):
    d["override"]["rationale_required"] = False


def _one_option(d):
    d["sections"][0]["questions"][0]["options"] = d["sections"][0]["questions"][0]["options"][:1]


def _no_sections(d):
    d["sections"] = []


def _bad_id(d):
    d["sections"][0]["questions"][0]["id"] = "Has Spaces"


def _bad_version(d):
    d["version"] = 0


SCORED_BREAKS = {
    "duplicate question": (_dup_question, "duplicate question id"),
    "duplicate section": (_dup_section, "duplicate section id"),
    "duplicate option": (_dup_option, "duplicate option id"),
    "duplicate band": (_dup_band, "duplicate band id"),
    "bands overlap": (_overlap, "overlap"),
    "bands leave a gap": (_gap, "score 8 has no band"),
    "bands leave a wide gap": (
        lambda d: d["bands"][1].update(min=11),
        "scores 8 to 10 have no band",
    ),
    "top not covered": (_short_top, "highest possible score, 42"),
    "bottom not covered": (_high_bottom, "lowest possible score, 0"),
    "min above max": (_min_above_max, "more than max"),
    "option without points": (_no_points, "every option of a scored instrument has points"),
    "points as text": (_text_points, "whole number"),
    "points as boolean": (_bool_points, "whole number"),
    "missing Welsh question": (_no_welsh_question, "Welsh text (cy) is missing"),
    "blank Welsh option": (_blank_welsh_option, "Welsh text (cy) is missing"),
    "missing Welsh notice": (_no_welsh_notice, "Welsh text (cy) is missing"),
    "missing title": (_no_title, "title: is missing"),
    "unknown kind": (_unknown_kind, "unknown kind “calculated”"),
    "unknown key": (_unknown_key, "unknown key “supervisor_sign_off”"),
    "no scoring rule": (_no_scoring, 'needs {"method": "sum"}'),
    "override without rationale": (_no_rationale, "must always give a rationale"),
    "a single option": (_one_option, "at least two options"),
    "no sections": (_no_sections, "at least one section"),
    "bad id": (_bad_id, "lower-case letters"),
    "bad version": (_bad_version, "whole number, 1 or more"),
}


@pytest.mark.parametrize("name", SCORED_BREAKS)
def test_it_names_each_problem_in_a_broken_scored_definition(name):
    breaker, expected = SCORED_BREAKS[name]
    data = raw("referral-risk")
    engine.parse_definition(data)  # valid before the change
    breaker(data)
    problems = _problems(data)
    assert any(expected in p for p in problems), problems


def test_it_says_where_the_problem_is():
    data = raw("referral-risk")
    del data["sections"][0]["questions"][2]["options"][1]["label"]["cy"]
    (problem,) = _problems(data)
    assert problem.startswith("sections[0].questions[2].options[1].label:")


def _structured_bands(d):
    d["bands"][0]["min"], d["bands"][0]["max"] = 0, 5


def _structured_no_formulation(d):
    del d["formulation"]


def _structured_override(d):
    d["override"] = {"allowed": True, "rationale_required": True}


def _structured_scoring(d):
    d["scoring"] = {"method": "sum"}


STRUCTURED_BREAKS = {
    "levels with thresholds": (_structured_bands, "remove min and max"),
    "no formulation": (_structured_no_formulation, "needs a case formulation"),
    "override allowed": (_structured_override, "no computed band to override"),
    "a scoring rule": (_structured_scoring, "no scoring rule"),
    "duplicate question": (_dup_question, "duplicate question id"),
    "missing Welsh": (_no_welsh_question, "Welsh text (cy) is missing"),
}


@pytest.mark.parametrize("name", STRUCTURED_BREAKS)
def test_it_names_each_problem_in_a_broken_structured_definition(name):
    breaker, expected = STRUCTURED_BREAKS[name]
    data = raw("arms")
    engine.parse_definition(data)
    breaker(data)
    assert any(expected in p for p in _problems(data))


def test_it_lets_a_structured_definition_leave_out_points():
    data = raw("arms")
    assert all(
        "points" not in o for s in data["sections"] for q in s["questions"] for o in q["options"]
    )
    assert engine.parse_definition(data).score_range() is None


def test_it_names_the_file_in_the_error(tmp_path):
    data = raw("referral-risk")
    _gap(data)
    (tmp_path / "referral-risk-1.json").write_text(json.dumps(data))
    (tmp_path / "arms-1.json").write_text("{not json")
    with pytest.raises(engine.DefinitionError) as info:
        engine.Registry.from_directory(tmp_path)
    text = str(info.value)
    assert "referral-risk-1.json: bands: there is a gap" in text
    assert "arms-1.json: is not valid JSON" in text


def test_it_refuses_a_file_named_for_another_version(tmp_path):
    (tmp_path / "referral-risk-2.json").write_text(json.dumps(raw("referral-risk")))
    with pytest.raises(engine.DefinitionError, match="referral-risk-1.json"):
        engine.Registry.from_directory(tmp_path)


def test_it_refuses_the_same_version_twice():
    definition = engine.parse_definition(raw("arms"))
    with pytest.raises(engine.DefinitionError, match="defined twice"):
        engine.Registry([definition, definition])


def test_it_reports_a_bad_definition_in_the_system_check(tmp_path, monkeypatch):
    from vigil.instruments.checks import check_definitions

    assert check_definitions() == []
    data = raw("referral-risk")
    _overlap(data)
    (tmp_path / "referral-risk-1.json").write_text(json.dumps(data))
    monkeypatch.setattr(engine, "DEFINITIONS_DIR", tmp_path)
    errors = check_definitions()
    assert errors and errors[0].id == "instruments.E001" and "overlap" in errors[0].msg


BREAKS = [
    lambda d: (
        d["bands"][0].update(max=d["bands"][0]["max"] + 1)
        if len(d["bands"]) > 1
        else d.update(kind="x")
    ),
    lambda d: d["bands"][-1].update(max=d["bands"][-1]["max"] - 1),
    lambda d: d["bands"][0].update(min=d["bands"][0]["min"] + 1),
    lambda d: d["sections"][0]["questions"][0]["text"].pop("cy"),
    lambda d: d["sections"][-1]["questions"][-1]["options"][0].pop("points"),
    lambda d: d["sections"][-1]["questions"].append(dict(d["sections"][0]["questions"][0])),
    lambda d: d["bands"].append(dict(d["bands"][0])),
    lambda d: d.update(kind="mixed"),
    lambda d: (
        d["bands"][1].update(min=d["bands"][1]["min"] + 1)
        if len(d["bands"]) > 1
        else d.pop("bands")
    ),
]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=scored_definitions(), break_index=st.integers(0, len(BREAKS) - 1))
def test_it_rejects_every_broken_variant_of_a_valid_definition(data, break_index):
    engine.parse_definition(data)
    BREAKS[break_index](data)
    with pytest.raises(engine.DefinitionError):
        engine.parse_definition(data)


def test_a_forces_own_definition_directory_adds_a_later_version(tmp_path, settings):
    import json

    from vigil.instruments import engine

    licensed = json.loads((engine.DEFINITIONS_DIR / "referral-risk-1.json").read_text())
    licensed["version"] = 2
    (tmp_path / "referral-risk-2.json").write_text(json.dumps(licensed))
    settings.VIGIL_INSTRUMENTS_DIRS = [str(tmp_path)]
    engine.registry.cache_clear()
    try:
        assert engine.registry().latest("referral-risk").version == 2
        assert engine.registry().find("referral-risk", 1) is not None
    finally:
        engine.registry.cache_clear()
