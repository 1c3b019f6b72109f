"""Reading a register extract (CSV or JSON, see docs/formats/register-extract.md).

Parsing only: nothing here writes. `parse(content, filename, forces=...)` returns every
row cleaned, with the line it starts on, or every problem found, each with its line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from vigil.core.imports import decode_text, json_objects
from vigil.duties.choices import RiskLevel
from vigil.offenders.choices import NominalStatus
from vigil.people import normalise
from vigil.register.choices import ExtractFormat

# The columns, in the order a CSV header must give them. `status` is last and required
# with a fixed set of values, so that a file cut off anywhere in its last row is caught.
COLUMNS = [
    "register_reference",
    "given_name",
    "family_name",
    "date_of_birth",
    "address_line1",
    "address_line2",
    "town",
    "postcode",
    "mappa_category",
    "mappa_level",
    "risk_level",
    "managing_force",
    "managing_officer",
    "notification_start",
    "notification_end",
    "status",
]
REQUIRED = {
    "register_reference",
    "given_name",
    "family_name",
    "date_of_birth",
    "managing_force",
    "status",
}
MAX_ROWS = 250_000
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LIMITS = {
    "register_reference": 30,
    "given_name": 100,
    "family_name": 100,
    "address_line1": 200,
    "address_line2": 200,
    "town": 100,
    "postcode": 10,
    "managing_officer": 200,
}
_RISK = set(RiskLevel.values)
_STATUS = set(NominalStatus.values)
_MAPPA = {"1": 1, "2": 2, "3": 3}
EARLIEST_BIRTH = dt.date(1900, 1, 1)


@dataclass
class Parsed:
    file_format: str
    rows: list[dict] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


def detect_format(filename: str, content: bytes) -> str:
    name = (filename or "").lower()
    if name.endswith(".json"):
        return ExtractFormat.JSON
    if name.endswith(".csv"):
        return ExtractFormat.CSV
    return ExtractFormat.JSON if content.lstrip()[:1] in (b"[", b"{") else ExtractFormat.CSV


def normal_postcode(value: str) -> str:
    return normalise.collapse(value).upper()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return normalise.collapse(str(value))


def _date(value, name: str, problems: list[str], *, today: dt.date) -> dt.date | None:
    text = _text(value)
    if not text:
        return None
    if not _DATE.match(text):
        problems.append(_("%(field)s must be a date written like 1980-05-17") % {"field": name})
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        problems.append(
            _("%(field)s is not a real date: %(value)s") % {"field": name, "value": text}
        )
        return None
    return day


def clean_row(data: dict, *, forces: dict[str, int], today: dt.date) -> tuple[dict, list[str]]:
    """One row's values checked and cleaned: (values for a RegisterRow, problems)."""
    problems: list[str] = []
    unknown = set(data) - set(COLUMNS)
    if unknown:
        problems.append(
            _("unknown field(s): %(fields)s") % {"fields": ", ".join(sorted(map(str, unknown)))}
        )
    text = {name: _text(data.get(name)) for name in COLUMNS}
    for name in COLUMNS:
        if name in REQUIRED and not text[name]:
            problems.append(_("%(field)s is required") % {"field": name})
    for name, limit in _LIMITS.items():
        if len(text[name]) > limit:
            problems.append(
                _("%(field)s must be %(limit)s characters or fewer")
                % {"field": name, "limit": limit}
            )
    reference = normalise.reference(text["register_reference"])
    dob = _date(text["date_of_birth"], "date_of_birth", problems, today=today)
    if dob is not None and not (EARLIEST_BIRTH <= dob <= today):
        problems.append(_("date_of_birth must be in the past (and after 1900)"))
    has_address = any(text[n] for n in ("address_line1", "address_line2", "town", "postcode"))
    if has_address:
        for name in ("address_line1", "town", "postcode"):
            if not text[name]:
                problems.append(
                    _("%(field)s is required when an address is given") % {"field": name}
                )
    mappa = {}
    for name in ("mappa_category", "mappa_level"):
        raw = text[name]
        if raw and raw not in _MAPPA:
            problems.append(_("%(field)s must be 1, 2 or 3 (or empty)") % {"field": name})
        mappa[name] = _MAPPA.get(raw)
    if text["risk_level"] and text["risk_level"] not in _RISK:
        problems.append(_("risk_level must be very_high, high, medium or low (or empty)"))
    force_code = text["managing_force"].lower()
    force_id = forces.get(force_code)
    if force_code and force_id is None:
        problems.append(
            _("managing_force %(code)s is not a force Vigil knows: use the force's code")
            % {"code": text["managing_force"]}
        )
    start = _date(text["notification_start"], "notification_start", problems, today=today)
    end = _date(text["notification_end"], "notification_end", problems, today=today)
    if start and end and end < start:
        problems.append(_("notification_end must not be before notification_start"))
    if text["status"] and text["status"] not in _STATUS:
        problems.append(_("status must be active, custody, abroad, missing or ended"))
    values = {
        "register_reference": reference,
        "given_name": text["given_name"],
        "family_name": text["family_name"],
        "date_of_birth": dob,
        "address_line1": text["address_line1"],
        "address_line2": text["address_line2"],
        "town": text["town"],
        "postcode": normal_postcode(text["postcode"]),
        "mappa_category": mappa["mappa_category"],
        "mappa_level": mappa["mappa_level"],
        "risk_level": text["risk_level"],
        "force_id": force_id,
        "managing_officer": text["managing_officer"],
        "notification_start": start,
        "notification_end": end,
        "status": text["status"],
    }
    return values, problems


def _add(parsed: Parsed, line: int, data: dict, forces, today) -> None:
    values, problems = clean_row(data, forces=forces, today=today)
    if problems:
        parsed.problems.extend((line, p) for p in problems)
    else:
        values["line"] = line
        parsed.rows.append(values)


def _parse_csv(text: str, parsed: Parsed, forces, today) -> None:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        parsed.problems.append((1, _("The header row cannot be read: %(error)s") % {"error": exc}))
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    if header != COLUMNS:
        parsed.problems.append(
            (
                1,
                _("The header row must name these columns in this order: %(columns)s")
                % {"columns": ",".join(COLUMNS)},
            )
        )
        return
    width = len(COLUMNS)
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
        if not cells or not any(c.strip() for c in cells):
            continue
        if len(cells) != width:
            parsed.problems.append(
                (
                    start,
                    _(
                        "the row has %(cells)s values but the header has %(columns)s: the file "
                        "may be cut off, or a value holding a comma is not in quotes"
                    )
                    % {"cells": len(cells), "columns": width},
                )
            )
            continue
        _add(parsed, start, dict(zip(COLUMNS, cells, strict=True)), forces, today)


def _parse_json(text: str, parsed: Parsed, forces, today) -> None:
    for line, item in json_objects(
        text,
        parsed.problems,
        not_array=_("The file must be a JSON array of nominals: [ {...}, {...} ]"),
        not_object=_("each nominal must be a JSON object"),
    ):
        _add(parsed, line, item, forces, today)


def parse(content: bytes, filename: str = "", *, forces: dict[str, int], today: dt.date) -> Parsed:
    """Read every row, checking each; every problem is kept with its line. `forces` maps
    force codes (lower case) to Vigil force ids."""
    file_format = detect_format(filename, content)
    parsed = Parsed(file_format=file_format)
    text = decode_text(content, parsed.problems)
    if text is None:
        return parsed
    if file_format == ExtractFormat.CSV:
        _parse_csv(text, parsed, forces, today)
    else:
        _parse_json(text, parsed, forces, today)
    if not parsed.rows and not parsed.problems:
        parsed.problems.append((1, _("The file holds no nominals.")))
    if len(parsed.rows) > MAX_ROWS:
        parsed.problems.append(
            (1, _("The file holds more than %(max)s nominals: split it.") % {"max": MAX_ROWS})
        )
    seen: dict[str, int] = {}
    for row in parsed.rows:
        ref = row["register_reference"]
        if ref in seen:
            parsed.problems.append(
                (
                    row["line"],
                    _("register reference %(reference)s is also on line %(line)s")
                    % {"reference": ref, "line": seen[ref]},
                )
            )
        else:
            seen[ref] = row["line"]
    parsed.problems.sort(key=lambda p: p[0])
    return parsed
