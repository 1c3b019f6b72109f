"""Hypothesis strategies: valid scored definitions (as JSON) and answers to them."""

from __future__ import annotations

from hypothesis import strategies as st


def _text(label: str) -> dict:
    return {"en": label, "cy": f"{label} (cy)"}


@st.composite
def scored_definitions(draw) -> dict:
    """A valid scored definition: 1-3 sections of 1-4 questions of 2-4 options, whole
    points (some negative), some questions optional, and contiguous bands that cover
    every possible score."""
    sections, ranges, n = [], [], 0
    for si in range(draw(st.integers(1, 3))):
        questions = []
        for _ in range(draw(st.integers(1, 4))):
            n += 1
            points = draw(st.lists(st.integers(-3, 9), min_size=2, max_size=4))
            required = draw(st.booleans())
            questions.append(
                {
                    "id": f"q{n}",
                    "text": _text(f"Question {n}"),
                    "required": required,
                    "options": [
                        {"id": f"o{i}", "label": _text(f"Option {i}"), "points": p}
                        for i, p in enumerate(points)
                    ],
                }
            )
            contributions = points if required else [*points, 0]
            ranges.append((min(contributions), max(contributions)))
        sections.append({"id": f"s{si}", "title": _text(f"Section {si}"), "questions": questions})
    low, high = sum(r[0] for r in ranges), sum(r[1] for r in ranges)
    inner = list(range(low + 1, high + 1))
    cuts = sorted(draw(st.sets(st.sampled_from(inner), max_size=4))) if inner else []
    starts = [low, *cuts]
    ends = [c - 1 for c in cuts] + [high]
    bands = [
        {"id": f"b{i}", "label": _text(f"Band {i}"), "min": a, "max": b}
        for i, (a, b) in enumerate(zip(starts, ends, strict=True))
    ]
    return {
        "code": "generated",
        "version": 1,
        "kind": "scored",
        "title": _text("Generated"),
        "description": _text("Generated for a test"),
        "supervisor_signoff": draw(st.booleans()),
        "scoring": {"method": "sum"},
        "override": {"allowed": True, "rationale_required": True},
        "sections": sections,
        "bands": bands,
    }


@st.composite
def answers_for(draw, definition) -> dict[str, str]:
    """A valid set of answers, in a random order (optional questions sometimes skipped)."""
    answers = {}
    for q in definition.questions:
        if not q.required and draw(st.booleans()):
            continue
        answers[q.id] = draw(st.sampled_from([o.id for o in q.options]))
    items = draw(st.permutations(list(answers.items())))
    return dict(items)
