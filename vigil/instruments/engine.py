"""Assessment instruments defined as data: loading, validating and scoring them.

An instrument is a JSON file in `definitions/` named `<code>-<version>.json`. A *scored*
instrument adds up the points of the chosen options and reads its band from thresholds;
a *structured* instrument records ratings and a case formulation, and its level is the
assessor's professional judgement. Every text is held in English and Welsh.

Nothing here touches the database: services call `assess()` and store what it returns.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from vigil.core.exceptions import NotFound, ValidationFailed
from vigil.instruments.choices import Kind

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
LANGUAGES = ("en", "cy")
CODE_RE = re.compile(r"^[a-z][a-z0-9-]{0,58}[a-z0-9]$")
ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


# --- The definition, as read-only objects -------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A text in English and Welsh. `str()` gives the one for the active language."""

    en: str
    cy: str

    def get(self, language: str | None = None) -> str:
        language = (language or translation.get_language() or "en")[:2]
        return self.cy if language == "cy" else self.en

    def __str__(self) -> str:
        return self.get()

    def as_dict(self) -> dict:
        return {"en": self.en, "cy": self.cy}


@dataclass(frozen=True)
class Option:
    id: str
    label: Text
    points: int | None


@dataclass(frozen=True)
class Question:
    id: str
    text: Text
    help: Text | None
    required: bool
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def points_range(self) -> tuple[int, int]:
        """The least and most this question can add (an optional one can add nothing)."""
        points = [o.points or 0 for o in self.options]
        if not self.required or not points:
            points.append(0)
        return min(points), max(points)


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Band:
    """A band of a scored instrument (score from `min` to `max`, both included), or a
    level an assessor may choose in a structured one (no thresholds)."""

    id: str
    label: Text
    min: int | None = None
    max: int | None = None

    def contains(self, score: int) -> bool:
        return self.min is not None and self.max is not None and self.min <= score <= self.max


@dataclass(frozen=True)
class Formulation:
    required: bool
    label: Text
    help: Text | None


@dataclass(frozen=True)
class Definition:
    code: str
    version: int
    kind: str
    title: Text
    description: Text
    template_notice: Text | None
    sections: tuple[Section, ...]
    bands: tuple[Band, ...]
    override_allowed: bool
    supervisor_signoff: bool
    formulation: Formulation | None
    source: str = ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.code, self.version)

    @property
    def is_scored(self) -> bool:
        return self.kind == Kind.SCORED

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def band(self, band_id: str) -> Band | None:
        return next((b for b in self.bands if b.id == band_id), None)

    def band_label(self, band_id: str | None, language: str | None = None) -> str:
        band = self.band(band_id) if band_id else None
        return band.label.get(language) if band else ""

    def describe_answers(self, answers: Mapping[str, str]) -> list[dict]:
        """Each section with its questions and the option chosen (None if unanswered)."""
        return [
            {
                "section": s,
                "rows": [
                    {"question": q, "option": q.option(answers.get(q.id, ""))} for q in s.questions
                ],
            }
            for s in self.sections
        ]

    def score_range(self) -> tuple[int, int] | None:
        """The lowest and highest possible score (None for a structured instrument)."""
        if not self.is_scored:
            return None
        ranges = [q.points_range() for q in self.questions]
        return sum(lo for lo, _hi in ranges), sum(hi for _lo, hi in ranges)

    def as_dict(self) -> dict:
        """The whole definition in both languages (for the API)."""
        score_range = self.score_range()
        return {
            "code": self.code,
            "version": self.version,
            "kind": self.kind,
            "title": self.title.as_dict(),
            "description": self.description.as_dict(),
            "template_notice": self.template_notice.as_dict() if self.template_notice else None,
            "supervisor_signoff": self.supervisor_signoff,
            "override_allowed": self.override_allowed,
            "score_min": score_range[0] if score_range else None,
            "score_max": score_range[1] if score_range else None,
            "sections": [
                {
                    "id": s.id,
                    "title": s.title.as_dict(),
                    "questions": [
                        {
                            "id": q.id,
                            "text": q.text.as_dict(),
                            "help": q.help.as_dict() if q.help else None,
                            "required": q.required,
                            "options": [
                                {"id": o.id, "label": o.label.as_dict(), "points": o.points}
                                for o in q.options
                            ],
                        }
                        for q in s.questions
                    ],
                }
                for s in self.sections
            ],
            "bands": [
                {"id": b.id, "label": b.label.as_dict(), "min": b.min, "max": b.max}
                for b in self.bands
            ],
            "formulation": (
                {
                    "required": self.formulation.required,
                    "label": self.formulation.label.as_dict(),
                    "help": self.formulation.help.as_dict() if self.formulation.help else None,
                }
                if self.formulation
                else None
            ),
        }


# --- Loading and validating ---------------------------------------------------------------


class DefinitionError(Exception):
    """A definition file that cannot be used. Lists every problem found, each with the
    place in the file where it is."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{source}: {len(self.problems)} problem(s):\n{lines}")


_TOP_KEYS = {
    "code",
    "version",
    "kind",
    "title",
    "description",
    "template_notice",
    "supervisor_signoff",
    "sections",
    "scoring",
    "bands",
    "override",
    "formulation",
}
_SECTION_KEYS = {"id", "title", "questions"}
_QUESTION_KEYS = {"id", "text", "help", "required", "options"}
_OPTION_KEYS = {"id", "label", "points"}
_BAND_KEYS = {"id", "label", "min", "max"}
_OVERRIDE_KEYS = {"allowed", "rationale_required"}
_FORMULATION_KEYS = {"required", "label", "help"}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    """Walks a definition's JSON, turning it into objects and noting every problem."""

    def __init__(self):
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)

    def keys(self, obj: dict, allowed: set[str], where: str) -> None:
        for key in sorted(set(obj) - allowed):
            self.problem(
                where or "top level", _("unknown key “%(key)s” (check its spelling)") % {"key": key}
            )

    def obj(self, value: Any, where: str) -> dict | None:
        if not isinstance(value, dict):
            self.problem(where, _("must be an object"))
            return None
        return value

    def text(self, parent: dict, key: str, where: str, *, optional: bool = False) -> Text | None:
        path = f"{where}.{key}" if where else key
        if key not in parent or parent[key] is None:
            if not optional:
                self.problem(
                    path, _('is missing (give it in English and Welsh: {"en": …, "cy": …})')
                )
            return None
        value = parent[key]
        if not isinstance(value, dict):
            self.problem(path, _("must be an object with English (en) and Welsh (cy) text"))
            return None
        for extra in sorted(set(value) - set(LANGUAGES)):
            self.problem(
                path, _("unknown language “%(language)s” (use en and cy)") % {"language": extra}
            )
        texts = {}
        for language, name in (("en", _("English")), ("cy", _("Welsh"))):
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                self.problem(
                    path,
                    _("%(language)s text (%(code)s) is missing")
                    % {"language": name, "code": language},
                )
                texts[language] = ""
            else:
                texts[language] = text.strip()
        return Text(**texts)

    def ident(self, parent: dict, where: str, seen: set[str], what: str) -> str:
        value = parent.get("id")
        path = f"{where}.id"
        if not isinstance(value, str) or not ID_RE.match(value):
            self.problem(
                path,
                _("must be lower-case letters, digits and underscores, starting with a letter"),
            )
            return str(value)
        if value in seen:
            self.problem(path, _("duplicate %(what)s id “%(id)s”") % {"what": what, "id": value})
        seen.add(value)
        return value

    def boolean(self, parent: dict, key: str, where: str, default: bool | None = None) -> bool:
        path = f"{where}.{key}" if where else key
        if key not in parent:
            if default is None:
                self.problem(path, _("is missing (true or false)"))
                return False
            return default
        if not isinstance(parent[key], bool):
            self.problem(path, _("must be true or false"))
            return bool(parent[key])
        return parent[key]


def parse_definition(data: Any, *, source: str = "") -> Definition:
    """Check a definition's JSON and build it. Raises DefinitionError listing every problem.

    Steps: the top-level fields; the sections, questions and options (ids unique, every
    text in English and Welsh, points whole numbers where the kind needs them); the bands
    (for a scored instrument: ordered, no overlaps, no gaps, covering every possible
    score); the override and formulation rules; the file name against code and version.
    """
    c = _Checker()
    data = c.obj(data, "top level")
    if data is None:
        raise DefinitionError(source, c.problems)
    c.keys(data, _TOP_KEYS, "")

    code = data.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        c.problem("code", _("must be lower-case letters, digits and hyphens, like “referral-risk”"))
        code = str(code)
    version = data.get("version")
    if not _is_int(version) or version < 1:
        c.problem("version", _("must be a whole number, 1 or more"))
        version = 0
    kind = data.get("kind")
    if kind not in Kind.values:
        c.problem(
            "kind", _("unknown kind “%(kind)s” (use “scored” or “structured”)") % {"kind": kind}
        )
    scored = kind == Kind.SCORED

    title = c.text(data, "title", "")
    description = c.text(data, "description", "")
    notice = c.text(data, "template_notice", "", optional=True)
    signoff = c.boolean(data, "supervisor_signoff", "")

    # Sections, questions, options.
    sections: list[Section] = []
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        c.problem("sections", _("must be a list with at least one section"))
        raw_sections = []
    section_ids: set[str] = set()
    question_ids: set[str] = set()
    for si, raw_section in enumerate(raw_sections):
        where = f"sections[{si}]"
        raw_section = c.obj(raw_section, where)
        if raw_section is None:
            continue
        c.keys(raw_section, _SECTION_KEYS, where)
        section_id = c.ident(raw_section, where, section_ids, _("section"))
        section_title = c.text(raw_section, "title", where)
        raw_questions = raw_section.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            c.problem(f"{where}.questions", _("must be a list with at least one question"))
            raw_questions = []
        questions = []
        for qi, raw_question in enumerate(raw_questions):
            qwhere = f"{where}.questions[{qi}]"
            raw_question = c.obj(raw_question, qwhere)
            if raw_question is None:
                continue
            c.keys(raw_question, _QUESTION_KEYS, qwhere)
            question_id = c.ident(raw_question, qwhere, question_ids, _("question"))
            text = c.text(raw_question, "text", qwhere)
            help_text = c.text(raw_question, "help", qwhere, optional=True)
            required = c.boolean(raw_question, "required", qwhere, default=True)
            raw_options = raw_question.get("options")
            if not isinstance(raw_options, list) or len(raw_options) < 2:
                c.problem(f"{qwhere}.options", _("must be a list with at least two options"))
                raw_options = raw_options if isinstance(raw_options, list) else []
            option_ids: set[str] = set()
            options = []
            for oi, raw_option in enumerate(raw_options):
                owhere = f"{qwhere}.options[{oi}]"
                raw_option = c.obj(raw_option, owhere)
                if raw_option is None:
                    continue
                c.keys(raw_option, _OPTION_KEYS, owhere)
                option_id = c.ident(raw_option, owhere, option_ids, _("option"))
                label = c.text(raw_option, "label", owhere)
                points = raw_option.get("points")
                if points is None:
                    if scored:
                        c.problem(
                            f"{owhere}.points",
                            _("is missing: every option of a scored instrument has points"),
                        )
                elif not _is_int(points):
                    c.problem(f"{owhere}.points", _("must be a whole number"))
                    points = None
                options.append(Option(option_id, label or Text("", ""), points))
            questions.append(
                Question(question_id, text or Text("", ""), help_text, required, tuple(options))
            )
        sections.append(Section(section_id, section_title or Text("", ""), tuple(questions)))

    # Scoring rule.
    scoring = data.get("scoring")
    if scored:
        if (
            not isinstance(scoring, dict)
            or scoring.get("method") != "sum"
            or set(scoring) != {"method"}
        ):
            c.problem("scoring", _('a scored instrument needs {"method": "sum"}'))
    elif scoring is not None:
        c.problem("scoring", _("a structured instrument has no scoring rule; remove it"))

    # Bands.
    bands: list[Band] = []
    raw_bands = data.get("bands")
    if not isinstance(raw_bands, list) or not raw_bands:
        c.problem("bands", _("must be a list with at least one band"))
        raw_bands = []
    band_ids: set[str] = set()
    for bi, raw_band in enumerate(raw_bands):
        where = f"bands[{bi}]"
        raw_band = c.obj(raw_band, where)
        if raw_band is None:
            continue
        c.keys(raw_band, _BAND_KEYS, where)
        band_id = c.ident(raw_band, where, band_ids, _("band"))
        label = c.text(raw_band, "label", where)
        low, high = raw_band.get("min"), raw_band.get("max")
        if scored:
            if not _is_int(low) or not _is_int(high):
                c.problem(where, _("a scored instrument's band needs whole-number min and max"))
                low = high = None
            elif low > high:
                c.problem(
                    where, _("min (%(min)s) is more than max (%(max)s)") % {"min": low, "max": high}
                )
        elif low is not None or high is not None:
            c.problem(
                where, _("a structured instrument's level is a judgement: remove min and max")
            )
            low = high = None
        bands.append(Band(band_id, label or Text("", ""), low, high))

    if scored and bands and all(b.min is not None for b in bands):
        for before, after in zip(bands, bands[1:], strict=False):
            if after.min <= before.max:
                c.problem(
                    "bands",
                    _(
                        "bands “%(a)s” and “%(b)s” overlap (or are out of order): “%(b)s” must start at %(next)s"
                    )
                    % {"a": before.id, "b": after.id, "next": before.max + 1},
                )
            elif after.min == before.max + 2:
                c.problem(
                    "bands",
                    _(
                        "there is a gap between bands “%(a)s” and “%(b)s”: score %(score)s has no band"
                    )
                    % {"a": before.id, "b": after.id, "score": before.max + 1},
                )
            elif after.min > before.max + 2:
                c.problem(
                    "bands",
                    _(
                        "there is a gap between bands “%(a)s” and “%(b)s”: scores %(from)s to %(to)s have no band"
                    )
                    % {"a": before.id, "b": after.id, "from": before.max + 1, "to": after.min - 1},
                )
        if (
            all(o.points is not None for s in sections for q in s.questions for o in q.options)
            and sections
        ):
            lowest = sum(q.points_range()[0] for s in sections for q in s.questions)
            highest = sum(q.points_range()[1] for s in sections for q in s.questions)
            if bands[0].min > lowest:
                c.problem(
                    "bands",
                    _("no band covers the lowest possible score, %(score)s") % {"score": lowest},
                )
            if bands[-1].max < highest:
                c.problem(
                    "bands",
                    _("no band covers the highest possible score, %(score)s") % {"score": highest},
                )

    # Override rule.
    override_allowed = False
    raw_override = data.get("override")
    if raw_override is not None:
        raw_override = c.obj(raw_override, "override")
        if raw_override is not None:
            c.keys(raw_override, _OVERRIDE_KEYS, "override")
            override_allowed = c.boolean(raw_override, "allowed", "override")
            rationale = c.boolean(raw_override, "rationale_required", "override", default=True)
            if override_allowed and not rationale:
                c.problem(
                    "override.rationale_required",
                    _("an override must always give a rationale: set it to true"),
                )
            if override_allowed and not scored:
                c.problem(
                    "override.allowed",
                    _("a structured instrument has no computed band to override: set it to false"),
                )

    # Case formulation.
    formulation = None
    raw_formulation = data.get("formulation")
    if raw_formulation is not None:
        raw_formulation = c.obj(raw_formulation, "formulation")
        if raw_formulation is not None:
            c.keys(raw_formulation, _FORMULATION_KEYS, "formulation")
            formulation = Formulation(
                c.boolean(raw_formulation, "required", "formulation"),
                c.text(raw_formulation, "label", "formulation") or Text("", ""),
                c.text(raw_formulation, "help", "formulation", optional=True),
            )
    elif kind == Kind.STRUCTURED:
        c.problem("formulation", _("a structured instrument needs a case formulation"))

    # The file is named after what it holds.
    if source and not c.problems and Path(source).name != f"{code}-{version}.json":
        c.problem(
            "",
            _("the file should be called “%(name)s” to match its code and version")
            % {"name": f"{code}-{version}.json"},
        )

    if c.problems:
        raise DefinitionError(source or f"{code}-{version}", c.problems)
    return Definition(
        code=code,
        version=version,
        kind=kind,
        title=title,
        description=description,
        template_notice=notice,
        sections=tuple(sections),
        bands=tuple(bands),
        override_allowed=override_allowed,
        supervisor_signoff=signoff,
        formulation=formulation,
        source=Path(source).name if source else "",
    )


def load_definition(path: Path | str) -> Definition:
    """Read and check one definition file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError(path.name, [_("cannot be read: %(error)s") % {"error": exc}]) from exc
    except json.JSONDecodeError as exc:
        raise DefinitionError(
            path.name,
            [
                _("is not valid JSON: %(error)s (line %(line)s)")
                % {"error": exc.msg, "line": exc.lineno}
            ],
        ) from exc
    return parse_definition(data, source=path.name)


class Registry:
    """The loaded definitions, by (code, version)."""

    def __init__(self, definitions: Iterable[Definition]):
        self._by_key: dict[tuple[str, int], Definition] = {}
        for definition in definitions:
            if definition.key in self._by_key:
                raise DefinitionError(
                    definition.source,
                    [
                        _("%(code)s version %(version)s is defined twice")
                        % {"code": definition.code, "version": definition.version}
                    ],
                )
            self._by_key[definition.key] = definition

    @classmethod
    def from_directory(cls, directory: Path | str = DEFINITIONS_DIR) -> Registry:
        """Load every `*.json` in `directory`; if any is bad, report the problems of all."""
        return cls.from_directories([directory])

    @classmethod
    def from_directories(cls, directories: list[Path | str]) -> Registry:
        """Load every `*.json` in each directory; if any is bad, report the problems of all."""
        definitions, problems = [], []
        for directory in directories:
            for path in sorted(Path(directory).glob("*.json")):
                try:
                    definitions.append(load_definition(path))
                except DefinitionError as exc:
                    problems.extend(f"{exc.source}: {p}" for p in exc.problems)
        if problems:
            raise DefinitionError(", ".join(str(d) for d in directories), problems)
        return cls(definitions)

    def all(self) -> list[Definition]:
        return [self._by_key[k] for k in sorted(self._by_key)]

    def find(self, code: str, version: int | None = None) -> Definition | None:
        if version is None:
            return self.latest(code)
        return self._by_key.get((code, version))

    def get(self, code: str, version: int | None = None) -> Definition:
        definition = self.find(code, version)
        if definition is None:
            raise NotFound(_("There is no assessment instrument with that code and version."))
        return definition

    def latest(self, code: str) -> Definition | None:
        versions = [d for (c, _v), d in self._by_key.items() if c == code]
        return max(versions, key=lambda d: d.version) if versions else None

    def is_latest(self, definition: Definition) -> bool:
        return self.latest(definition.code) is definition


@functools.cache
def registry() -> Registry:
    """The definitions shipped in the package and the force's own (VIGIL_INSTRUMENTS_DIRS),
    loaded once per process. A force's licensed definition with the same code and a
    higher version becomes the latest; earlier assessments keep their version."""
    from django.conf import settings

    return Registry.from_directories([DEFINITIONS_DIR, *settings.VIGIL_INSTRUMENTS_DIRS])


# --- Scoring and deciding the band --------------------------------------------------------


@dataclass(frozen=True)
class ScoreResult:
    """What the answers give: the score and band (scored instruments), the subtotal of each
    section, and how many questions of each section got each option."""

    code: str
    version: int
    answers: dict[str, str]
    score: int | None
    band: str | None
    subtotals: dict[str, int] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    """The band that counts, and how it was reached."""

    computed_band: str | None
    override_band: str
    override_rationale: str
    final_band: str
    formulation: str


def answer_field(question_id: str) -> str:
    """The error field name of a question's answer."""
    return f"answers.{question_id}"


def _answer_errors(
    definition: Definition, answers: Any
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    if not isinstance(answers, Mapping):
        return {}, [("answers", _("The answers must be a set of question ids and option ids."))]
    errors: list[tuple[str, str]] = []
    known = {q.id for q in definition.questions}
    for question_id in sorted(str(k) for k in answers if k not in known):
        errors.append(
            (
                answer_field(question_id),
                _("“%(id)s” is not a question in this instrument; remove it.")
                % {"id": question_id},
            )
        )
    clean: dict[str, str] = {}
    for question in definition.questions:
        value = answers.get(question.id)
        if value is None or value == "":
            if question.required:
                errors.append(
                    (
                        answer_field(question.id),
                        _("Choose an answer for “%(question)s”.") % {"question": question.text},
                    )
                )
            continue
        if not isinstance(value, str) or question.option(value) is None:
            errors.append(
                (
                    answer_field(question.id),
                    _("Choose one of the listed answers for “%(question)s”.")
                    % {"question": question.text},
                )
            )
            continue
        clean[question.id] = value
    return clean, errors


def score(definition: Definition, answers: Mapping[str, str]) -> ScoreResult:
    """Score `answers` ({question id: option id}). Deterministic; the order of the answers
    does not matter. Raises ValidationFailed naming every missing or invalid answer."""
    clean, errors = _answer_errors(definition, answers)
    if errors:
        raise ValidationFailed(_("Some answers are missing or not valid."), errors=errors)
    subtotals: dict[str, int] = {}
    counts: dict[str, dict[str, int]] = {}
    for section in definition.sections:
        subtotal = 0
        section_counts = {o.id: 0 for q in section.questions for o in q.options}
        for question in section.questions:
            if question.id not in clean:
                continue
            option = question.option(clean[question.id])
            subtotal += option.points or 0
            section_counts[option.id] += 1
        subtotals[section.id] = subtotal
        counts[section.id] = section_counts
    total, band = None, None
    if definition.is_scored:
        total = sum(subtotals.values())
        band = next(b.id for b in definition.bands if b.contains(total))
    else:
        subtotals = {}
    ordered = {q.id: clean[q.id] for q in definition.questions if q.id in clean}
    return ScoreResult(definition.code, definition.version, ordered, total, band, subtotals, counts)


def _decision_errors(
    definition: Definition,
    computed_band: str | None,
    *,
    override_band: str,
    rationale: str,
    judgement_level: str,
    formulation: str,
) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    if definition.is_scored:
        if judgement_level:
            errors.append(
                (
                    "judgement_level",
                    _(
                        "This instrument is scored: its band comes from the answers. To change it, choose an override band and give the reason."
                    ),
                )
            )
        if override_band and override_band != computed_band:
            if not definition.override_allowed:
                errors.append(
                    (
                        "override_band",
                        _("This instrument does not allow its band to be overridden."),
                    )
                )
            elif definition.band(override_band) is None:
                errors.append(
                    ("override_band", _("Choose one of the listed bands for the override."))
                )
            elif not rationale:
                errors.append(("override_rationale", _("Give the reason for overriding the band.")))
    else:
        if override_band:
            errors.append(
                (
                    "override_band",
                    _(
                        "This instrument has no computed band to override; choose the overall level instead."
                    ),
                )
            )
        if not judgement_level:
            errors.append(
                ("judgement_level", _("Choose the overall level from your professional judgement."))
            )
        elif definition.band(judgement_level) is None:
            errors.append(("judgement_level", _("Choose one of the listed levels.")))
    if definition.formulation and definition.formulation.required and not formulation:
        errors.append(("formulation", _("Write the case formulation.")))
    return errors


def assess(
    definition: Definition,
    answers: Mapping[str, str],
    *,
    override_band: str | None = None,
    override_rationale: str = "",
    judgement_level: str | None = None,
    formulation: str = "",
) -> tuple[ScoreResult, Decision]:
    """Score the answers and decide the final band, reporting every problem at once.

    Steps: score the answers (collecting answer errors); check the override (a different
    band needs a rationale) or, for a structured instrument, the assessor's level; check
    the formulation; raise ValidationFailed with all errors, else return both results.
    """
    override_band = (override_band or "").strip()
    rationale = (override_rationale or "").strip()
    judgement_level = (judgement_level or "").strip()
    formulation = (formulation or "").strip()
    result, errors = None, []
    try:
        result = score(definition, answers)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    computed = result.band if result else None
    errors.extend(
        _decision_errors(
            definition,
            computed,
            override_band=override_band,
            rationale=rationale,
            judgement_level=judgement_level,
            formulation=formulation,
        )
    )
    if errors:
        raise ValidationFailed(_("The assessment is not complete or not valid."), errors=errors)
    if definition.is_scored:
        overridden = bool(override_band) and override_band != computed
        decision = Decision(
            computed_band=computed,
            override_band=override_band if overridden else "",
            override_rationale=rationale if overridden else "",
            final_band=override_band if overridden else computed,
            formulation=formulation,
        )
    else:
        decision = Decision(None, "", "", judgement_level, formulation)
    return result, decision
