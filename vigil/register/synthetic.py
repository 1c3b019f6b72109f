"""Synthetic register extracts: what the register would hold for Vigil's nominals, except
for a known set of injected discrepancies of every kind.

`write_extract(...)` reads the nominals of the given forces (set-based, as reconciliation
does), writes them as an extract in CSV or JSON, and changes it in known ways:

- rows added for nominals Vigil does not hold (on the register, not in Vigil);
- rows left out for active nominals (in Vigil, not on the register);
- one field changed on some rows (a field differs), across every compared field;
- the register reference changed on some rows whose name and date of birth are unique
  (matched by the weaker name-and-date-of-birth rule: a register reference differs).

It returns the file and the set of discrepancies reconciliation must find, as
(kind, register reference, field) triples: nothing more and nothing less. Nominals with
no register reference in Vigil cannot be written as agreeing rows, so they are left out
and, when active, expected as not on the register.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from collections import Counter
from dataclasses import dataclass, field

from vigil.accounts.models import Force
from vigil.offenders.choices import NominalStatus
from vigil.offenders.models import Nominal
from vigil.register import reconcile
from vigil.register.choices import DiscrepancyKind, ExtractFormat, Field
from vigil.register.importing import COLUMNS
from vigil.synthetic import names

# How each field is changed on a row to inject a difference: f(value, rng, context).
_RISKS = ["very_high", "high", "medium", "low"]
_STATUSES = list(NominalStatus.values)


def _other(options, current, rng):
    choices = [o for o in options if o != current]
    return rng.choice(choices)


@dataclass
class Written:
    content: bytes
    file_format: str
    rows: int
    expected: set[tuple[str, str, str]] = field(default_factory=set)
    counts: Counter = field(default_factory=Counter)


def _row_from_vigil(v: dict) -> dict:
    """A register row agreeing with Vigil's values `v` (from reconcile.load_nominals)."""
    return {
        "register_reference": v[Field.REGISTER_REFERENCE],
        "given_name": v[Field.GIVEN_NAME],
        "family_name": v[Field.FAMILY_NAME],
        "date_of_birth": v[Field.DATE_OF_BIRTH],
        "address_line1": v["_line1"],
        "address_line2": v["_line2"],
        "town": v["_town"],
        "postcode": v[Field.POSTCODE],
        "mappa_category": v[Field.MAPPA_CATEGORY],
        "mappa_level": v[Field.MAPPA_LEVEL],
        "risk_level": v[Field.RISK_LEVEL],
        "managing_force": v[Field.MANAGING_FORCE],
        "managing_officer": v[Field.MANAGING_OFFICER],
        "notification_start": v[Field.NOTIFICATION_START],
        "notification_end": v[Field.NOTIFICATION_END],
        "status": v[Field.STATUS],
    }


def _change(name: str, row: dict, rng: random.Random, force_codes: list[str]) -> bool:
    """Change `name` on `row` so that it differs from Vigil; False if it cannot be."""
    if name == Field.GIVEN_NAME:
        row["given_name"] = _other(names.GIVEN_MALE + names.GIVEN_FEMALE, row["given_name"], rng)
    elif name == Field.FAMILY_NAME:
        row["family_name"] = _other(names.FAMILY, row["family_name"], rng)
    elif name == Field.DATE_OF_BIRTH:
        row["date_of_birth"] = row["date_of_birth"] - dt.timedelta(days=rng.randint(1, 400))
    elif name == Field.ADDRESS:
        if not row["address_line1"]:
            return False
        row["address_line1"] = f"{rng.randint(121, 400)} {rng.choice(names.STREETS)}"
    elif name == Field.POSTCODE:
        if not row["postcode"]:
            return False
        row["postcode"] = "ZZ9 9ZZ" if row["postcode"] != "ZZ9 9ZZ" else "ZZ8 8ZZ"
    elif name == Field.MAPPA_CATEGORY:
        row["mappa_category"] = _other([1, 2, 3], row["mappa_category"], rng)
    elif name == Field.MAPPA_LEVEL:
        row["mappa_level"] = _other([1, 2, 3], row["mappa_level"], rng)
    elif name == Field.RISK_LEVEL:
        row["risk_level"] = _other(_RISKS, row["risk_level"], rng)
    elif name == Field.MANAGING_FORCE:
        others = [c for c in force_codes if c != row["managing_force"]]
        if not others:
            return False
        row["managing_force"] = rng.choice(others)
    elif name == Field.MANAGING_OFFICER:
        row["managing_officer"] = (
            f"{rng.choice(names.GIVEN_MALE)} {rng.choice(names.FAMILY)}-Register"
        )
    elif name == Field.NOTIFICATION_START:
        if not row["notification_start"]:
            return False
        row["notification_start"] = row["notification_start"] - dt.timedelta(
            days=rng.randint(1, 90)
        )
    elif name == Field.NOTIFICATION_END:
        start = row["notification_start"]
        if not start:
            return False
        end = row["notification_end"]
        row["notification_end"] = (
            start + dt.timedelta(days=3650) if end is None else end + dt.timedelta(days=365)
        )
    elif name == Field.STATUS:
        row["status"] = _other(_STATUSES, row["status"], rng)
    else:  # pragma: no cover
        return False
    return True


def _text(value) -> str:
    return "" if value is None else reconcile.display(value)


def render(rows: list[dict], file_format: str) -> bytes:
    """Rows as an extract file in the documented format."""
    if file_format == ExtractFormat.JSON:
        items = [{k: (_text(row[k]) or None) for k in COLUMNS} for row in rows]
        for item in items:
            for key in ("mappa_category", "mappa_level"):
                if item[key] is not None:
                    item[key] = int(item[key])
        return (
            "[\n" + ",\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n]\n"
        ).encode()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_text(row[k]) for k in COLUMNS])
    return out.getvalue().encode()


def write_extract(
    *,
    forces,
    seed: int = 1,
    file_format: str = ExtractFormat.CSV,
    not_in_vigil: int = 3,
    not_on_register: int = 3,
    field_changes: int | None = None,
    weak_matches: int = 2,
) -> Written:
    """Write an extract of the nominals of `forces` with injected discrepancies (see the
    module's docstring). `field_changes` defaults to one for every compared field."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    forces = list(forces)
    force_codes = sorted(f.code for f in forces)
    queryset = Nominal.objects.filter(team__force__in=forces).order_by("pk")
    vigil = reconcile.load_nominals(queryset)
    _add_address_parts(vigil)
    written = Written(content=b"", file_format=file_format, rows=0)
    expected = written.expected
    rows: list[dict] = []
    pool: list[tuple[int, dict]] = []
    for nid in sorted(vigil):
        v = vigil[nid]
        if not v[Field.REGISTER_REFERENCE]:
            if v["status_code"] == NominalStatus.ACTIVE:
                expected.add((DiscrepancyKind.NOT_ON_REGISTER, "", ""))
                written.counts["no_reference"] += 1
            continue
        pool.append((nid, v))
    rng.shuffle(pool)
    # Names and dates of birth held once among the nominals: safe for a weaker match.
    key_counts = Counter((v["search_name"], v[Field.DATE_OF_BIRTH]) for v in vigil.values())
    left_out = 0
    weak = 0
    fields = list(reconcile.COMPARED)
    changes = len(fields) if field_changes is None else field_changes
    injected = 0
    cursor = 0
    for _nid, v in pool:
        row = _row_from_vigil(v)
        if left_out < not_on_register and v["status_code"] == NominalStatus.ACTIVE:
            left_out += 1
            expected.add((DiscrepancyKind.NOT_ON_REGISTER, v[Field.REGISTER_REFERENCE], ""))
            written.counts["not_on_register"] += 1
            continue
        if weak < weak_matches and key_counts[(v["search_name"], v[Field.DATE_OF_BIRTH])] == 1:
            weak += 1
            row["register_reference"] = f"R{seed % 100:02d}/{900000 + weak:06d}"
            expected.add(
                (DiscrepancyKind.FIELD_DIFFERS, row["register_reference"], Field.REGISTER_REFERENCE)
            )
            written.counts["weak_match"] += 1
        elif injected < changes:
            # Try the fields in turn from the next one due, until one can be changed on
            # this row alone (changing nothing else the comparison sees).
            for attempt in range(len(fields)):
                name = fields[(cursor + attempt) % len(fields)]
                candidate = dict(row)
                if not _change(name, candidate, rng, force_codes):
                    continue
                diff = reconcile.differences(_as_register(candidate), _as_register(row))
                if [d[0] for d in diff] != [name]:
                    continue
                row = candidate
                expected.add((DiscrepancyKind.FIELD_DIFFERS, row["register_reference"], name))
                written.counts["field_differs"] += 1
                injected += 1
                cursor += attempt + 1
                break
        rows.append(row)
    for n in range(not_in_vigil):
        given = rng.choice(names.GIVEN_MALE)
        family = rng.choice(names.FAMILY)
        reference = f"X{seed % 100:02d}/{800000 + n:06d}"
        rows.append(
            {
                "register_reference": reference,
                "given_name": given,
                "family_name": f"{family}-Unheld",
                "date_of_birth": dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 15000)),
                "address_line1": f"{rng.randint(1, 99)} {rng.choice(names.STREETS)}",
                "address_line2": "",
                "town": rng.choice(names.TOWNS)[0],
                "postcode": "SA9 9AA",
                "mappa_category": 1,
                "mappa_level": 1,
                "risk_level": rng.choice(_RISKS),
                "managing_force": force_codes[n % len(force_codes)],
                "managing_officer": "",
                "notification_start": None,
                "notification_end": None,
                "status": NominalStatus.ACTIVE,
            }
        )
        expected.add((DiscrepancyKind.NOT_IN_VIGIL, reference, ""))
        written.counts["not_in_vigil"] += 1
    rng.shuffle(rows)
    written.rows = len(rows)
    written.content = render(rows, file_format)
    return written


def _add_address_parts(vigil: dict) -> None:
    """Add the current address's separate lines (the comparison joins them)."""
    from vigil.people.models import Address

    by_person = {v["person_id"]: v for v in vigil.values()}
    for a in Address.objects.filter(person_id__in=list(by_person), valid_to__isnull=True).values(
        "person_id", "line1", "line2", "town"
    ):
        v = by_person[a["person_id"]]
        v["_line1"], v["_line2"], v["_town"] = a["line1"], a["line2"], a["town"]
    for v in vigil.values():
        v.setdefault("_line1", "")
        v.setdefault("_line2", "")
        v.setdefault("_town", "")


def _as_register(row: dict) -> dict:
    return reconcile.register_values({**row, "force_code": row["managing_force"]})


def forces_by_code(codes: list[str] | None):
    qs = Force.objects.order_by("name")
    return list(qs.filter(code__in=codes)) if codes else list(qs)
