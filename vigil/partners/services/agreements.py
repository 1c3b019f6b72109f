"""Probation regions, agreements and agreement versions."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts import services as accounts
from vigil.accounts.choices import Role, TeamKind
from vigil.accounts.models import Force, User
from vigil.core.calendar import end_of_day
from vigil.core.exceptions import PermissionDenied, ValidationFailed
from vigil.core.policy_registry import policy_value, policy_values
from vigil.duties import services as duties
from vigil.partners import duty_kinds, policies
from vigil.partners.choices import Direction, RequestKind, TimeUnit
from vigil.partners.models import Agreement, AgreementVersion, ProbationRegion, ResponseTime


def _require_force_admin(actor, force: Force) -> None:
    allowed = access.admin_force_ids(actor)
    if allowed is not None and force.pk not in allowed:
        raise PermissionDenied(
            _("Only an administrator of the force can set up a probation partnership.")
        )


@transaction.atomic
def region_create(*, actor, force: Force, name: str, name_cy: str = "") -> ProbationRegion:
    """Add a probation region to a force, with the team its practitioners join (a team of
    kind "other" named after the region). Administrators of the force only."""
    _require_force_admin(actor, force)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Enter the region's name"), field="name")
    if ProbationRegion.objects.filter(force=force, name=name).exists():
        raise ValidationFailed(_("The force already has a region of that name"), field="name")
    team = accounts.team_create(
        actor=actor,
        force=force,
        # Stored names in each language (data, not interface text).
        name=f"Probation: {name}",
        name_cy=f"Prawf: {(name_cy or name).strip()}",
        kind=TeamKind.OTHER,
    )
    region = ProbationRegion.objects.create(
        force=force, name=name, name_cy=(name_cy or "").strip(), team=team
    )
    audit.record(actor, "partners.region_create", region, changes={"name": name})
    return region


def default_terms(*, at: dt.datetime | None = None) -> list[dict]:
    """The response times a new agreement starts from (the policies in force at `at`)."""
    keys = [policies.days_key(k) for k in RequestKind] + [policies.URGENT_HOURS]
    values = policy_values(keys, at=at)
    return [
        {
            "kind": kind.value,
            "direction": direction.value,
            "amount": int(values[policies.days_key(kind)]),
            "unit": TimeUnit.WORKING_DAYS.value,
            "urgent_amount": int(values[policies.URGENT_HOURS]),
            "urgent_unit": TimeUnit.HOURS.value,
        }
        for direction in Direction
        for kind in RequestKind
    ]


def _check_terms(terms: list[dict]) -> list[ResponseTime]:
    rows, seen = [], set()
    for term in terms:
        key = (term.get("kind"), term.get("direction"))
        if key[0] not in RequestKind.values or key[1] not in Direction.values or key in seen:
            raise ValidationFailed(
                _("Give each kind of request once for each direction"), field="terms"
            )
        seen.add(key)
        for unit_field, amount_field in (("unit", "amount"), ("urgent_unit", "urgent_amount")):
            if term.get(unit_field) not in TimeUnit.values:
                raise ValidationFailed(_("Choose working days or hours"), field="terms")
            amount = term.get(amount_field)
            if not isinstance(amount, int) or not 1 <= amount <= 999:
                raise ValidationFailed(
                    _("Enter response times as whole numbers from 1 to 999"), field="terms"
                )
        rows.append(
            ResponseTime(
                kind=key[0],
                direction=key[1],
                amount=term["amount"],
                unit=term["unit"],
                urgent_amount=term["urgent_amount"],
                urgent_unit=term["urgent_unit"],
            )
        )
    if len(seen) != len(RequestKind) * len(Direction):
        raise ValidationFailed(
            _("Give a response time for every kind of request in each direction"), field="terms"
        )
    return rows


def _review_team(agreement: Agreement):
    return access.primary_team(agreement.police_owner) or agreement.region.team


def open_review_duty(*, actor, agreement: Agreement, after: dt.date) -> None:
    """The next review of the agreement, due the policy's months after `after`."""
    months = int(policy_value(policies.REVIEW_EVERY_MONTHS))
    duties.duty_open(
        actor=actor,
        kind=duty_kinds.REVIEW,
        subject=agreement,
        team=_review_team(agreement),
        assignee=agreement.police_owner,
        due_at=end_of_day(after + relativedelta(months=months)),
        note=str(agreement.region)[:300],
    )


@transaction.atomic
def agreement_create(
    *,
    actor,
    region: ProbationRegion,
    police_owner: User,
    probation_owner: User,
    started_on: dt.date,
    terms: list[dict] | None = None,
) -> Agreement:
    """The agreement between a force and one of its regions, with its first version (the
    given terms, else the policies' defaults) and its first review duty.

    Steps: an administrator of the force; the police owner supervises or manages a team of
    the force; the probation owner is a practitioner of the region; no agreement yet for
    the region; save the agreement and version 1 with its terms; open the review duty;
    audit."""
    _require_force_admin(actor, region.force)
    police_roles = {m.role for m in police_owner.memberships.filter(team__force=region.force_id)}
    if not police_roles & {Role.SUPERVISOR, Role.MANAGER}:
        raise ValidationFailed(
            _("Choose a supervisor or manager of the force as the police owner"),
            field="police_owner",
        )
    if not probation_owner.memberships.filter(team=region.team, role=Role.PROBATION).exists():
        raise ValidationFailed(
            _("Choose a practitioner of the region as the probation owner"),
            field="probation_owner",
        )
    if Agreement.objects.filter(region=region).exists():
        raise ValidationFailed(_("The region already has an agreement"), field="region")
    rows = _check_terms(terms if terms is not None else default_terms())
    agreement = Agreement.objects.create(
        force=region.force,
        region=region,
        police_owner=police_owner,
        probation_owner=probation_owner,
        started_on=started_on,
    )
    version = AgreementVersion.objects.create(
        agreement=agreement, number=1, effective_from=started_on, created_by=actor
    )
    for row in rows:
        row.version = version
    ResponseTime.objects.bulk_create(rows)
    open_review_duty(actor=actor, agreement=agreement, after=started_on)
    audit.record(
        actor,
        "partners.agreement_create",
        agreement,
        changes={
            "region": region.name,
            "police_owner": police_owner.email,
            "probation_owner": probation_owner.email,
            "started_on": started_on.isoformat(),
        },
    )
    return agreement


@transaction.atomic
def version_create(
    *, actor, agreement: Agreement, effective_from: dt.date, notes: str, terms: list[dict]
) -> AgreementVersion:
    """A new version of the agreement's terms from a date after the latest version's.
    Requests already raised keep the version they were raised under."""
    _require_force_admin(actor, agreement.force)
    latest = agreement.versions.order_by("-number").first()
    if latest is not None and effective_from <= latest.effective_from:
        raise ValidationFailed(
            _("The new version must start after %(date)s")
            % {"date": latest.effective_from.isoformat()},
            field="effective_from",
        )
    rows = _check_terms(terms)
    version = AgreementVersion.objects.create(
        agreement=agreement,
        number=(latest.number + 1) if latest else 1,
        effective_from=effective_from,
        notes=(notes or "").strip(),
        created_by=actor,
    )
    for row in rows:
        row.version = version
    ResponseTime.objects.bulk_create(rows)
    audit.record(
        actor,
        "partners.version_create",
        version,
        changes={"number": version.number, "effective_from": effective_from.isoformat()},
    )
    return version
