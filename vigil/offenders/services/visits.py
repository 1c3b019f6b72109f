"""Home visits (N, O), their authorisation, and the monthly dip-checks of
authorisations.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import RANK_LEVEL, SUPERVISORY_ROLES
from vigil.accounts.models import User
from vigil.core import clock
from vigil.core.calendar import end_of_day, start_of_day
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied
from vigil.core.policy_registry import policy_value
from vigil.offenders import duty_kinds as kinds
from vigil.offenders.choices import DipCheckOutcome, ReviewSubject, VisitAccess, VisitLocation
from vigil.offenders.models import DipCheck, Nominal, Visit, VisitAuthorisation
from vigil.offenders.notification_period import add_months
from vigil.offenders.services.common import (
    _close,
    _fail,
    _lowest_rank,
    _nominal_risk,
    _open,
    _open_review,
    rank_label,
    require_casework,
)
from vigil.offenders.services.plans import _schedule_visit
from vigil.offenders.services.pnd import _schedule_pnd, pnd_before_visit


def is_compliant(*, announced: bool, officer_count: int) -> bool:
    """APP: unannounced and with two or more officers present."""
    return not announced and officer_count >= 2


@transaction.atomic
def visit_record(
    *,
    actor,
    nominal: Nominal,
    visited_at: dt.datetime,
    location: str,
    announced: bool,
    officers: list,
    access_result: str,
    outcome: str,
    concerns: str = "",
    intelligence_submitted: bool = False,
    notification_checked: bool = False,
) -> Visit:
    """Record a home visit.

    Steps: access; validate (not in the future, officers present are active users, an
    outcome); compliance (unannounced and in pairs); write; audit; a non-compliant visit
    opens an authorisation duty for the team's supervisors, due the policy hours after
    the visit; move the visit duty on from this visit; open the supervisor review.
    """
    require_casework(actor, nominal)
    errors: list[tuple[str, str]] = []
    if visited_at is None:
        errors.append(("visited_at", _("Enter the date and time of the visit")))
    elif timezone.is_naive(visited_at):
        raise ValueError("visited_at must be timezone-aware")
    elif visited_at > clock.now():
        errors.append(("visited_at", _("The visit must be in the past: record it afterwards")))
    if location not in VisitLocation.values:
        errors.append(("location", _("Choose where the visit took place")))
    if access_result not in VisitAccess.values:
        errors.append(("access", _("Choose whether access was gained")))
    officers = list({o.pk: o for o in officers or []}.values())
    if not officers:
        errors.append(("officers", _("Choose the officers present")))
    elif any(not o.is_active for o in officers):
        errors.append(("officers", _("Choose officers whose accounts are active")))
    if not (outcome or "").strip():
        errors.append(("outcome", _("Describe the outcome of the visit")))
    _fail(errors)
    compliant = is_compliant(announced=announced, officer_count=len(officers))
    visit = Visit.objects.create(
        nominal=nominal,
        visited_at=visited_at,
        location=location,
        announced=announced,
        officer_count=len(officers),
        access=access_result,
        outcome=outcome.strip(),
        concerns=concerns,
        intelligence_submitted=intelligence_submitted,
        notification_checked=notification_checked,
        compliant=compliant,
        recorded_by=actor,
    )
    visit.officers.set(officers)
    audit.record(
        actor,
        "nominal.visit_record",
        visit,
        changes={
            "visited_at": visited_at.isoformat(),
            "announced": announced,
            "officers": sorted(o.email for o in officers),
            "compliant": compliant,
            "access": access_result,
        },
        person=nominal.person,
    )
    if not compliant:
        hours = policy_value("offenders.visit_authorisation_hours")
        _open(
            actor,
            kinds.VISIT_AUTHORISATION,
            visit,
            nominal,
            visited_at + dt.timedelta(hours=hours),
            assignee=None,
        )
    _schedule_visit(actor, nominal, visit=visit)
    if pnd_before_visit(_nominal_risk(nominal)):  # the visit used the latest check
        _schedule_pnd(actor, nominal)
    _open_review(actor, nominal, ReviewSubject.VISIT, visit)
    return visit


def authoriser_rank() -> str:
    return _lowest_rank(policy_value("offenders.visit_authorisation_rank_level"))


@transaction.atomic
def visit_authorise(
    *, actor, visit: Visit, rationale: str, decided_at: dt.datetime | None = None
) -> VisitAuthorisation:
    """Authorise a non-compliant visit (announced, or fewer than two officers).

    Steps: access to the nominal; the actor's rank is at least the policy rank (default
    sergeant); the visit is non-compliant and not yet authorised; a rationale; the
    decision time is now unless the authoriser says it was made earlier (before the
    visit, for example: never in the future, at most the policy's days (default 14)
    before the visit, as in force at the visit — the audit keeps when it was entered); in time when made before the visit or within the policy
    hours after it, otherwise it is flagged; close the authorisation duty.
    """
    require_casework(actor, visit.nominal)
    rank = authoriser_rank()
    if not access.rank_at_least(actor, rank):
        raise PermissionDenied(
            _(
                "A visit that is announced or has fewer than two officers must be authorised by "
                "a %(rank)s or above."
            )
            % {"rank": rank_label(rank)}
        )
    if visit.compliant:
        raise Conflict(_("This visit was unannounced and in pairs: it needs no authorisation."))
    if VisitAuthorisation.objects.filter(visit=visit).exists():
        raise Conflict(_("This visit has already been authorised."))
    now = clock.now()
    decided = decided_at or now
    errors = []
    if not (rationale or "").strip():
        errors.append(("rationale", _("Give the rationale for the authorisation")))
    backdate_days = policy_value("offenders.visit_authorisation_backdate_days", at=visit.visited_at)
    if decided > now or decided < visit.visited_at - dt.timedelta(days=backdate_days):
        errors.append(
            (
                "decided_at",
                ngettext(
                    "Enter when you made the decision: not in the future, and no more than "
                    "%(days)s day before the visit",
                    "Enter when you made the decision: not in the future, and no more than "
                    "%(days)s days before the visit",
                    backdate_days,
                )
                % {"days": backdate_days},
            )
        )
    _fail(errors)
    hours = policy_value("offenders.visit_authorisation_hours", at=visit.visited_at)
    authorisation = VisitAuthorisation.objects.create(
        visit=visit,
        authorised_by=actor,
        authorised_at=decided,
        rationale=rationale.strip(),
        in_time=decided <= visit.visited_at + dt.timedelta(hours=hours),
    )
    audit.record(
        actor,
        "nominal.visit_authorise",
        authorisation,
        changes={
            "visit": str(visit.uuid),
            "decided_at": decided.isoformat(),
            "in_time": authorisation.in_time,
        },
        reason=rationale,
        person=visit.nominal.person,
    )
    _close(actor, kinds.VISIT_AUTHORISATION, visit)
    return authorisation


def _month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    first = month.replace(day=1)
    return start_of_day(first), start_of_day(add_months(first, 1))


@transaction.atomic
def dip_check_sample(*, actor=None, month: dt.date) -> list[DipCheck]:
    """Assign a sample of the month's visit authorisations to senior reviewers.

    Idempotent per month: when the month has been sampled, the existing sample is
    returned. Steps: the authorisations made in the month (Europe/London); the sample
    size is the policy percentage rounded up; a reproducible random choice (seeded by the
    month); each goes to a reviewer of at least the policy rank who supervises the
    managing team and did not make the decision, the one with fewest checks that month
    first; a duty for each reviewer.
    """
    first = month.replace(day=1)
    existing = list(DipCheck.objects.filter(month=first))
    if existing:
        return existing
    start, end = _month_bounds(first)
    candidates = list(
        VisitAuthorisation.objects.filter(authorised_at__gte=start, authorised_at__lt=end)
        .select_related(
            "visit__nominal__team", "visit__nominal__person", "visit__nominal__offender_manager"
        )
        .order_by("pk")
    )
    if not candidates:
        return []
    percent = policy_value("offenders.dip_check_percent", at=end)
    size = min(len(candidates), math.ceil(len(candidates) * percent / 100))
    # A reproducible sample (seeded by the month), not a secret: S311 does not apply.
    chosen = random.Random(first.isoformat()).sample(candidates, size)  # noqa: S311
    level = policy_value("offenders.dip_check_rank_level", at=end)
    ranks = [r for r, lv in RANK_LEVEL.items() if lv >= level]
    loads: dict[int, int] = {}
    checks = []
    for authorisation in chosen:
        team = authorisation.visit.nominal.team
        reviewers = list(
            User.objects.filter(
                Q(memberships__team_id=team.pk)
                | Q(memberships__scope="force", memberships__team__force_id=team.force_id),
                is_active=True,
                rank__in=ranks,
                memberships__role__in=SUPERVISORY_ROLES,
            )
            .exclude(pk=authorisation.authorised_by_id)
            .distinct()
            .order_by("pk")
        )
        if not reviewers:
            continue
        reviewer = min(reviewers, key=lambda u: (loads.get(u.pk, 0), u.pk))
        loads[reviewer.pk] = loads.get(reviewer.pk, 0) + 1
        check = DipCheck.objects.create(authorisation=authorisation, month=first, reviewer=reviewer)
        audit.record(
            actor,
            "nominal.dip_check_assign",
            check,
            changes={"month": first.isoformat(), "reviewer": reviewer.email},
            person=authorisation.visit.nominal.person,
        )
        nominal = authorisation.visit.nominal
        _open(
            actor,
            kinds.DIP_CHECK,
            check,
            nominal,
            end_of_day(add_months(timezone.localdate(clock.now()), 1)),
            assignee=reviewer,
        )
        checks.append(check)
    return checks


@transaction.atomic
def dip_check_record(*, actor, dip_check: DipCheck, outcome: str, note: str) -> DipCheck:
    """The assigned reviewer agrees or disagrees with the authorisation, with a note."""
    if dip_check.reviewer_id != actor.pk:
        raise NotFound(_("There is no dip-check with that id assigned to you."))
    locked = DipCheck.objects.select_for_update().get(pk=dip_check.pk)
    if locked.checked_at is not None:
        raise Conflict(_("This dip-check has already been recorded."))
    errors = []
    if outcome not in DipCheckOutcome.values:
        errors.append(("outcome", _("Choose agree or disagree")))
    if not (note or "").strip():
        errors.append(("note", _("Add a note explaining your view")))
    _fail(errors)
    locked.outcome, locked.note, locked.checked_at = outcome, note.strip(), clock.now()
    locked.save(update_fields=["outcome", "note", "checked_at", "updated_at"])
    person = locked.authorisation.visit.nominal.person
    audit.record(
        actor,
        "nominal.dip_check_record",
        locked,
        changes={"outcome": outcome},
        reason=note,
        person=person,
    )
    _close(actor, kinds.DIP_CHECK, locked)
    return locked


def dip_check_counts(month: dt.date) -> dict:
    """How many were sampled and checked in a month (for the command's report)."""
    return DipCheck.objects.filter(month=month.replace(day=1)).aggregate(
        sampled=Count("pk"), checked=Count("pk", filter=Q(checked_at__isnull=False))
    )
