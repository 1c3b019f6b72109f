"""Reading a bulk referral file (CSV or JSON, see docs/formats/referrals.md) into rows.

Parsing only: nothing here writes. `parse(content, filename)` returns the rows with the
line each starts on, or the problems found, each with its line number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from vigil.core.exceptions import ValidationFailed
from vigil.core.imports import decode_text, json_objects
from vigil.people import normalise
from vigil.people.choices import Gender
from vigil.referrals.choices import ImportFormat, Source

CSV_COLUMNS = [
    "source",
    "source_reference",
    "received_at",
    "summary",
    "suspect_age",
    "suspect_given_name",
    "suspect_family_name",
    "suspect_date_of_birth",
    "suspect_gender",
    "suspect_pnc_id",
    "identifiers",
    "children",
    "material",
]
REQUIRED_CSV_COLUMNS = {"source", "received_at", "summary"}
ROW_KEYS = {
    "source",
    "source_reference",
    "received_at",
    "summary",
    "suspect_age",
    "suspect",
    "identifiers",
    "children",
    "material",
}
SUSPECT_KEYS = {"given_name", "family_name", "date_of_birth", "gender", "pnc_id"}
MAX_ROWS = 20000


@dataclass
class Row:
    """One referral read from the file, with the line it starts on."""

    line: int
    values: dict
    suspect: dict | None = None


@dataclass
class Parsed:
    file_format: str
    rows: list[Row] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


def detect_format(filename: str, content: bytes) -> str:
    name = (filename or "").lower()
    if name.endswith(".json"):
        return ImportFormat.JSON
    if name.endswith(".csv"):
        return ImportFormat.CSV
    return ImportFormat.JSON if content.lstrip()[:1] in (b"[", b"{") else ImportFormat.CSV


def _received_at(raw) -> dt.datetime:
    text = str(raw or "").strip()
    value = parse_datetime(text) if "T" in text or " " in text else None
    if value is None:
        day = parse_date(text) if text else None
        if day is None:
            raise ValueError
        value = dt.datetime.combine(day, dt.time(0, 0))
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value


def _suspect(raw: dict | None, problems: list[str]) -> dict | None:
    if not raw or not any(str(v or "").strip() for v in raw.values()):
        return None
    unknown = set(raw) - SUSPECT_KEYS
    if unknown:
        problems.append(
            _("unknown suspect field(s): %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    given = normalise.collapse(str(raw.get("given_name") or ""))
    family = normalise.collapse(str(raw.get("family_name") or ""))
    if not given or not family:
        problems.append(_("a suspect needs both a given name and a family name"))
    dob = None
    if raw.get("date_of_birth"):
        dob = parse_date(str(raw["date_of_birth"]).strip()) if raw.get("date_of_birth") else None
        if dob is None:
            problems.append(_("the suspect's date of birth must be a date like 1980-05-17"))
    gender = str(raw.get("gender") or Gender.UNKNOWN).strip()
    if gender not in Gender.values:
        problems.append(_("the suspect's gender must be female, male, other or unknown"))
    pnc = normalise.reference(str(raw.get("pnc_id") or ""))
    if pnc and not normalise.is_valid_pnc(pnc):
        problems.append(_("the suspect's PNC ID must look like 12/3456789A"))
    return {
        "given_name": given,
        "family_name": family,
        "date_of_birth": dob,
        "gender": gender,
        "pnc_id": pnc,
    }


def _list_of_objects(value, what: str, problems: list[str]) -> list[dict]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.append(_("%(what)s must be a list of objects") % {"what": what})
        return []
    return value


def _split(text: str, names: list[str]) -> list[dict]:
    """CSV cells holding a list: items separated by ";", fields within an item by "|"."""
    items = []
    for chunk in (text or "").split(";"):
        if not chunk.strip():
            continue
        parts = [p.strip() for p in chunk.split("|")]
        items.append(dict(zip(names, parts, strict=False)))
    return items


def _clean_row(line: int, data: dict, problems_out: list[tuple[int, str]]) -> Row | None:
    """Check one row's fields with the same rules as a referral received through a form."""
    from vigil.referrals.services import clean_receipt

    problems: list[str] = []
    unknown = set(data) - ROW_KEYS
    if unknown:
        problems.append(_("unknown field(s): %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    try:
        received_at = _received_at(data.get("received_at"))
    except (ValueError, TypeError):
        problems.append(
            _("received_at must be a date and time like 2026-03-02T09:30:00+00:00, or a date")
        )
        received_at = None
    suspect_raw = data.get("suspect")
    if suspect_raw is not None and not isinstance(suspect_raw, dict):
        problems.append(_("suspect must be an object"))
        suspect_raw = None
    suspect = _suspect(suspect_raw, problems)
    identifiers = _list_of_objects(data.get("identifiers"), "identifiers", problems)
    children = _list_of_objects(data.get("children"), "children", problems)
    material = _list_of_objects(data.get("material"), "material", problems)
    values = {
        "source": str(data.get("source") or "").strip(),
        "source_reference": str(data.get("source_reference") or ""),
        "received_at": received_at,
        "summary": str(data.get("summary") or ""),
        "suspect_age": str(data.get("suspect_age") or "unknown").strip(),
        "identifiers": identifiers,
        "children": children,
        "material": material,
    }
    try:
        clean = clean_receipt(**values)
    except ValidationFailed as exc:
        problems += [str(m) for _f, m in exc.errors] or [str(exc.message)]
        clean = None
    if problems:
        for problem in problems:
            problems_out.append((line, problem))
        return None
    return Row(
        line=line, values=values | {"source_reference": clean.source_reference}, suspect=suspect
    )


def _parse_csv(text: str, parsed: Parsed) -> None:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        parsed.problems.append(
            (1, _("The file is empty: it needs a header row and at least one referral."))
        )
        return
    except csv.Error as exc:
        parsed.problems.append((1, _("The header row cannot be read: %(error)s") % {"error": exc}))
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    missing = REQUIRED_CSV_COLUMNS - set(header)
    unknown = set(header) - set(CSV_COLUMNS)
    if missing or unknown:
        if missing:
            parsed.problems.append(
                (
                    1,
                    _("The header row lacks column(s): %(columns)s")
                    % {"columns": ", ".join(sorted(missing))},
                )
            )
        if unknown:
            parsed.problems.append(
                (
                    1,
                    _("The header row has unknown column(s): %(columns)s")
                    % {"columns": ", ".join(sorted(unknown))},
                )
            )
        return
    line = reader.line_num + 1
    while True:
        start = line
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            parsed.problems.append(
                (
                    start,
                    _(
                        "the row cannot be read (%(error)s): the file may be cut off, or a "
                        "quoted value is not closed"
                    )
                    % {"error": exc},
                )
            )
            break
        line = reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            parsed.problems.append(
                (
                    start,
                    _(
                        "the row has %(cells)s values but the header has %(columns)s: the file "
                        "may be cut off, or a value holding a comma is not in quotes"
                    )
                    % {"cells": len(cells), "columns": len(header)},
                )
            )
            continue
        data = dict(zip(header, cells, strict=True))
        suspect = {
            key: data.pop(f"suspect_{key}")
            for key in ("given_name", "family_name", "date_of_birth", "gender", "pnc_id")
            if f"suspect_{key}" in data
        }
        row = {k: v for k, v in data.items() if k not in ("identifiers", "children", "material")}
        row["suspect"] = suspect
        row["identifiers"] = _split(data.get("identifiers", ""), ["kind", "value", "platform"])
        row["children"] = _split(
            data.get("children", ""), ["status", "description", "approximate_age"]
        )
        row["material"] = _split(
            data.get("material", ""), ["description", "item_count", "category", "held_at"]
        )
        cleaned = _clean_row(start, row, parsed.problems)
        if cleaned is not None:
            parsed.rows.append(cleaned)


def _parse_json(text: str, parsed: Parsed) -> None:
    for line, item in json_objects(
        text,
        parsed.problems,
        not_array=_("The file must be a JSON array of referrals: [ {...}, {...} ]"),
        not_object=_("each referral must be a JSON object"),
    ):
        cleaned = _clean_row(line, item, parsed.problems)
        if cleaned is not None:
            parsed.rows.append(cleaned)


def parse(content: bytes, filename: str = "") -> Parsed:
    """Read the file's rows, checking each one; every problem is kept with its line."""
    file_format = detect_format(filename, content)
    parsed = Parsed(file_format=file_format)
    text = decode_text(content, parsed.problems)
    if text is None:
        return parsed
    if file_format == ImportFormat.CSV:
        _parse_csv(text, parsed)
    else:
        _parse_json(text, parsed)
    if not parsed.rows and not parsed.problems:
        parsed.problems.append((1, _("The file holds no referrals.")))
    if len(parsed.rows) > MAX_ROWS:
        parsed.problems.append(
            (1, _("The file holds more than %(max)s referrals: split it.") % {"max": MAX_ROWS})
        )
    seen: dict[str, int] = {}
    for row in parsed.rows:
        if row.values["source"] != Source.NCA_CEOP:
            continue
        ref = row.values["source_reference"].upper()
        if ref in seen:
            parsed.problems.append(
                (
                    row.line,
                    _("NCA reference %(reference)s is also on line %(line)s")
                    % {"reference": row.values["source_reference"], "line": seen[ref]},
                )
            )
        else:
            seen[ref] = row.line
    parsed.problems.sort()
    return parsed
