"""Comparing register rows with Vigil's nominals: Vigil's side loaded set-based (a few
queries for any number of nominals) into plain dicts with the extract's field names, and
the field-by-field comparison. Nothing here writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Max, Min, Q

from vigil.people import normalise
from vigil.register.choices import Field

# Fields compared for every matched pair (the reference only for a weaker match).
COMPARED = [f for f in Field.values if f != Field.REGISTER_REFERENCE]


def _join(*parts: str) -> str:
    return ", ".join(normalise.collapse(p) for p in parts if p and p.strip())


def register_values(row: dict) -> dict:
    """A register row (as from RegisterRow.values()) in the comparison's shape."""
    return {
        Field.REGISTER_REFERENCE: row["register_reference"],
        Field.GIVEN_NAME: row["given_name"],
        Field.FAMILY_NAME: row["family_name"],
        Field.DATE_OF_BIRTH: row["date_of_birth"],
        Field.ADDRESS: _join(row["address_line1"], row["address_line2"], row["town"]),
        Field.POSTCODE: row["postcode"],
        Field.MAPPA_CATEGORY: row["mappa_category"],
        Field.MAPPA_LEVEL: row["mappa_level"],
        Field.RISK_LEVEL: row["risk_level"],
        Field.MANAGING_FORCE: row["force_code"],
        Field.MANAGING_OFFICER: row["managing_officer"],
        Field.NOTIFICATION_START: row["notification_start"],
        Field.NOTIFICATION_END: row["notification_end"],
        Field.STATUS: row["status"],
    }


NOMINAL_FIELDS = (
    "id",
    "uuid",
    "team_id",
    "team__force_id",
    "team__force__code",
    "status",
    "mappa_category",
    "mappa_level",
    "risk_level",
    "offender_manager__full_name",
    "person_id",
    "person__register_reference",
    "person__given_name",
    "person__family_name",
    "person__date_of_birth",
    "person__search_name",
)


def load_nominals(queryset) -> dict[int, dict]:
    """Vigil's side of the nominals in `queryset`: {nominal id: values}, in three queries
    (nominals with person, team, force and manager; current addresses; notification
    requirements aggregated). Notification start is the earliest requirement's start;
    the end is the latest end, or empty when any requirement is indefinite."""
    from vigil.offenders.models import NotificationRequirement
    from vigil.people.models import Address

    nominals = {n["id"]: n for n in queryset.values(*NOMINAL_FIELDS)}
    if not nominals:
        return {}
    ids = list(nominals)
    people = {n["person_id"]: n["id"] for n in nominals.values()}
    addresses = {
        a["person_id"]: a
        for a in Address.objects.filter(person_id__in=list(people), valid_to__isnull=True).values(
            "person_id", "line1", "line2", "town", "postcode"
        )
    }
    periods = {
        r["nominal_id"]: r
        for r in NotificationRequirement.objects.filter(nominal_id__in=ids)
        .values("nominal_id")
        .annotate(
            start=Min("start_date"),
            end=Max("end_date"),
            indefinite=Count("id", filter=Q(period_months__isnull=True)),
        )
    }
    out: dict[int, dict] = {}
    for nid, n in nominals.items():
        address = addresses.get(n["person_id"]) or {}
        period = periods.get(nid) or {}
        out[nid] = {
            "id": nid,
            "uuid": n["uuid"],
            "team_id": n["team_id"],
            "force_id": n["team__force_id"],
            "status_code": n["status"],
            "search_name": n["person__search_name"],
            "person_id": n["person_id"],
            Field.REGISTER_REFERENCE: normalise.reference(n["person__register_reference"]),
            Field.GIVEN_NAME: n["person__given_name"],
            Field.FAMILY_NAME: n["person__family_name"],
            Field.DATE_OF_BIRTH: n["person__date_of_birth"],
            Field.ADDRESS: _join(
                address.get("line1", ""), address.get("line2", ""), address.get("town", "")
            ),
            Field.POSTCODE: normalise.collapse(address.get("postcode", "")).upper(),
            Field.MAPPA_CATEGORY: n["mappa_category"],
            Field.MAPPA_LEVEL: n["mappa_level"],
            Field.RISK_LEVEL: n["risk_level"] or "",
            Field.MANAGING_FORCE: n["team__force__code"],
            Field.MANAGING_OFFICER: n["offender_manager__full_name"] or "",
            Field.NOTIFICATION_START: period.get("start"),
            Field.NOTIFICATION_END: None if period.get("indefinite") else period.get("end"),
            Field.STATUS: n["status"],
        }
    return out


def display(value) -> str:
    """A value as stored on a discrepancy (dates ISO, nothing as empty)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _comparable(value):
    if isinstance(value, str):
        return normalise.collapse(value).casefold()
    return value


def differences(
    register: dict, vigil: dict, *, fields: Iterable[str] = COMPARED
) -> list[tuple[str, str, str]]:
    """[(field, register value, Vigil value)] for every field that differs. Text is
    compared ignoring case and runs of spaces; empty and missing are the same."""
    out = []
    for name in fields:
        a, b = register.get(name), vigil.get(name)
        if a in ("", None) and b in ("", None):
            continue
        if _comparable(a) != _comparable(b):
            out.append((name, display(a), display(b)))
    return out


def summary(values: dict) -> str:
    """A one-line description of a nominal (for a discrepancy about the whole record)."""
    parts = [
        normalise.collapse(
            f"{values.get(Field.GIVEN_NAME, '')} {values.get(Field.FAMILY_NAME, '')}"
        ),
        display(values.get(Field.DATE_OF_BIRTH)),
        values.get(Field.STATUS, ""),
    ]
    return " · ".join(p for p in parts if p)[:400]
