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
from vigil.accounts.models import Force, Membership, User
from vigil.core import clock
from vigil.core.calendar import end_of_day
from vigil.core.exceptions import PermissionDenied, ValidationFailed
from vigil.core.policy_registry import policy_value, policy_values
from vigil.duties import services as duties
from vigil.partners import duty_kinds, policies, selectors
from vigil.partners.choices import Direction, RequestKind, TimeUnit
from vigil.partners.models import Agreement, AgreementVersion, ProbationRegion, ResponseTime


def _require_force_admin(actor, force: Force) -> None:
    """An administrator of the force (or the system administrator), or the police owner of
    one of the force's agreements (the force's SLA owner)."""
    if not selectors.can_set_up(actor, force.pk):
        raise PermissionDenied(
            _(
                "Only an administrator of the force or its owner of the agreements with "
                "Probation can set up a probation partnership."
            )
        )


@transaction.atomic
def region_create(*, actor, force: Force, name: str, name_cy: str = "") -> ProbationRegion:
    """Add a probation region to a force, with the team its practitioners join (a team of
    kind "other" named after the region). Administrators of the force only."""
    _require_force_admin(actor, force)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Enter the region's name"), field="name")
    if len(name) > 150 or len((name_cy or "").strip()) > 150:
        raise ValidationFailed(_("Enter a name of 150 characters or fewer"), field="name")
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


def open_review_duty(
    *, actor, agreement: Agreement, after: dt.date, on: dt.date | None = None
) -> None:
    """The next review of the agreement: on `on` when given, else due the policy's months
    after `after`."""
    months = int(policy_value(policies.REVIEW_EVERY_MONTHS))
    due = on if on is not None else after + relativedelta(months=months)
    duties.duty_open(
        actor=actor,
        kind=duty_kinds.REVIEW,
        subject=agreement,
        team=_review_team(agreement),
        assignee=agreement.police_owner,
        due_at=end_of_day(due),
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
    first_review_on: dt.date | None = None,
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
    if first_review_on is not None and first_review_on <= started_on:
        raise ValidationFailed(
            _("The first review must be after the agreement starts"), field="first_review_on"
        )
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
    open_review_duty(actor=actor, agreement=agreement, after=started_on, on=first_review_on)
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
    if effective_from < clock.today():
        raise ValidationFailed(
            _(
                "The new version must start today or later: requests already raised keep "
                "their terms"
            ),
            field="effective_from",
        )
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


def _practitioner_memberships(region: ProbationRegion):
    return Membership.objects.filter(team=region.team, role=Role.PROBATION)


@transaction.atomic
def practitioner_add(*, actor, region: ProbationRegion, email: str) -> Membership:
    """Make an existing account a probation practitioner of the region (a probation-partner
    membership of the region's team). The account must not be a police officer's: a
    practitioner works for Probation only."""
    _require_force_admin(actor, region.force)
    email = (email or "").strip()
    if not email:
        raise ValidationFailed(_("Enter the practitioner's email address"), field="email")
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise ValidationFailed(
            _(
                "There is no active account with that email address. An administrator "
                "creates the account on the Users page first."
            ),
            field="email",
        )
    if user.memberships.exclude(role=Role.PROBATION).exists():
        raise ValidationFailed(
            _("That account has a police role: a practitioner's account is for Probation only"),
            field="email",
        )
    if _practitioner_memberships(region).filter(user=user).exists():
        raise ValidationFailed(
            _("%(name)s is already a practitioner of the region") % {"name": user.full_name},
            field="email",
        )
    membership = accounts.membership_add(
        actor=actor, user=user, team=region.team, role=Role.PROBATION
    )
    audit.record(actor, "partners.practitioner_add", region, changes={"user": user.email})
    return membership


@transaction.atomic
def practitioner_remove(*, actor, region: ProbationRegion, membership: Membership) -> None:
    """End a practitioner's membership of the region. Not the agreement's probation owner
    (name another owner first)."""
    _require_force_admin(actor, region.force)
    if membership.team_id != region.team_id or membership.role != Role.PROBATION:
        raise ValidationFailed(_("That person is not a practitioner of the region"))
    agreement = Agreement.objects.filter(region=region).first()
    if agreement is not None and agreement.probation_owner_id == membership.user_id:
        raise ValidationFailed(
            _("%(name)s owns the agreement for Probation and cannot be removed")
            % {"name": membership.user.full_name}
        )
    audit.record(
        actor,
        "membership.remove",
        membership.user,
        changes={"team": str(region.team.uuid), "role": membership.role, "scope": membership.scope},
    )
    audit.record(
        actor, "partners.practitioner_remove", region, changes={"user": membership.user.email}
    )
    membership.delete()
