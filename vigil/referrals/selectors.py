"""Permission-scoped reads of referrals.

Who sees a referral: casework roles (officer, supervisor, manager, analyst) of a POLIT team
that receives it — through a team membership on the receiving team or a force-wide
membership held on a POLIT team of the same force. A referral whose suspect is restricted
(need to know) is seen only by those the people app lets see the suspect
(`visible_people`). Missing and forbidden are the same 404.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES, SUPERVISORY_ROLES, Scope, TeamKind
from vigil.accounts.models import Membership, Team, User
from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.core.exceptions import NotFound
from vigil.duties.choices import RiskLevel
from vigil.duties.models import Duty
from vigil.people import normalise
from vigil.people.models import OnlineIdentifier, Person
from vigil.people.selectors import visible_people
from vigil.referrals.choices import OPEN_STATUSES, MatchReason, Status
from vigil.referrals.models import Referral, ReferralIdentifier

SUBJECT_TYPE = "referrals.referral"
MAX_MATCHES = 25

PRIORITY_ORDER = Case(
    When(priority=RiskLevel.VERY_HIGH, then=Value(0)),
    When(priority=RiskLevel.HIGH, then=Value(1)),
    When(priority=RiskLevel.MEDIUM, then=Value(2)),
    When(priority=RiskLevel.LOW, then=Value(3)),
    default=Value(4),
    output_field=IntegerField(),
)
AWAITING_ASSESSMENT_FIRST = Case(
    When(status__in=[Status.AWAITING_ASSESSMENT, Status.AWAITING_GRADING], then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)

# ?status= values of the queue besides the statuses themselves.
QUEUE_OPEN = "open"
QUEUE_ALL = "all"


def _not_found() -> NotFound:
    return NotFound(
        _("There is no referral with that id, or you do not have access to it."), field=None
    )


def polit_scope(user, roles=CASEWORK_ROLES) -> tuple[set[int], set[int]]:
    """(POLIT team ids, force ids) the user reaches with one of `roles` on a POLIT team."""
    team_ids: set[int] = set()
    force_ids: set[int] = set()
    for m in access.memberships(user):
        if m.role not in roles or m.team.kind != TeamKind.POLIT:
            continue
        if m.scope == Scope.FORCE:
            force_ids.add(m.team.force_id)
        else:
            team_ids.add(m.team_id)
    return team_ids, force_ids


def _team_q(user, roles=CASEWORK_ROLES) -> Q:
    """Referrals of the POLIT teams the user reaches (the teams_q rule, POLIT teams only)."""
    team_ids, force_ids = polit_scope(user, roles)
    return access.teams_q(user, roles, team_field="team") & (
        Q(team_id__in=team_ids) | Q(team__force_id__in=force_ids, team__kind=TeamKind.POLIT)
    )


def referral_scope(user) -> QuerySet[Referral]:
    """Every referral the user may see (see the module docstring)."""
    if not access.is_casework_user(user):
        return Referral.objects.none()
    return Referral.objects.filter(_team_q(user)).filter(
        Q(suspect__isnull=True)
        | Q(suspect__is_restricted=False)
        | Q(suspect_id__in=visible_people(user).values("pk"))
    )


def restricted_hidden(user) -> bool:
    """Whether the queue leaves out a referral of a team the user reaches because its
    suspect is restricted and the user not named (of the whole scope, never a filter's
    results, and never how many: see people.selectors.restricted_hidden)."""
    if not access.is_casework_user(user):
        return False
    return (
        Referral.objects.filter(_team_q(user), suspect__is_restricted=True)
        .exclude(suspect_id__in=visible_people(user).values("pk"))
        .exists()
    )


def reaches_team(user, team, roles=CASEWORK_ROLES) -> bool:
    """Whether the user reaches the POLIT `team` with one of `roles` (no query beyond the
    user's cached memberships)."""
    team_ids, force_ids = polit_scope(user, roles)
    return team.pk in team_ids or (team.force_id in force_ids and team.kind == TeamKind.POLIT)


def can_see(user, referral: Referral) -> bool:
    """The rule of `referral_scope` for one referral already loaded (with team and
    suspect): a query only when the suspect is restricted."""
    if not access.is_casework_user(user) or not reaches_team(user, referral.team):
        return False
    suspect = referral.suspect
    if suspect is None or not suspect.is_restricted:
        return True
    return visible_people(user).filter(pk=suspect.pk).exists()


def receiving_teams(user) -> QuerySet[Team]:
    """The POLIT teams the user may record referrals for."""
    team_ids, force_ids = polit_scope(user)
    return Team.objects.filter(
        Q(pk__in=team_ids) | Q(force_id__in=force_ids, kind=TeamKind.POLIT)
    ).select_related("force")


def supervises(user, referral: Referral) -> bool:
    """Whether the user is a supervisor or manager over the referral's receiving team."""
    return reaches_team(user, referral.team, SUPERVISORY_ROLES)


def can_import(user) -> bool:
    team_ids, force_ids = polit_scope(user, SUPERVISORY_ROLES)
    return bool(team_ids or force_ids)


def import_teams(user) -> QuerySet[Team]:
    """The POLIT teams the user may import referrals for (supervisors and managers)."""
    team_ids, force_ids = polit_scope(user, SUPERVISORY_ROLES)
    return Team.objects.filter(
        Q(pk__in=team_ids) | Q(force_id__in=force_ids, kind=TeamKind.POLIT)
    ).select_related("force")


def _uuid(value) -> uuid_module.UUID:
    try:
        return value if isinstance(value, uuid_module.UUID) else uuid_module.UUID(str(value))
    except ValueError:
        raise _not_found() from None


def get_referral_for_user(user, uuid, *, audit_view: bool = False) -> Referral:
    """The referral with public id `uuid` if the user may see it, else NotFound.

    `audit_view` records the read ("referral.view") against the suspect."""
    referral = (
        referral_scope(user)
        .select_related("team", "team__force", "suspect", "suspect__team")
        .filter(uuid=_uuid(uuid))
        .first()
    )
    if referral is None:
        raise _not_found()
    if audit_view:
        audit.record(user, "referral.view", referral, person=referral.suspect)
    return referral


def get_rso_notice_for_user(user, uuid, *, audit_view: bool = False) -> Referral:
    """A referral about a registered sex offender, as the offender's managing team sees
    it (the notice page and the API): casework roles of the team or force that manage the
    offender, whoever investigates the referral. Anything else is NotFound. `audit_view`
    records the read ("referral.rso_notice_view") against the offender."""
    referral = (
        Referral.objects.select_related(
            "team", "suspect", "suspect__team", "rso_notice_acknowledged_by"
        )
        .filter(uuid=_uuid(uuid), suspect_is_rso=True, suspect__isnull=False)
        .first()
    )
    if referral is None or not access.has_role(user, *CASEWORK_ROLES):
        raise _not_found()
    team_ids, force_ids = access.team_scope(user, CASEWORK_ROLES)
    person = referral.suspect
    if not (person.team_id in team_ids or person.force_id in force_ids):
        raise _not_found()
    if audit_view:
        audit.record(user, "referral.rso_notice_view", referral, person=person)
    return referral


def referral_record(referral: Referral) -> Referral:
    """The referral with everything its page and the API show, in a fixed number of queries."""
    return (
        Referral.objects.select_related(
            "team",
            "team__force",
            "suspect",
            "suspect__team",
            "linked_to",
            "assessment",
            "assessment__assessor",
            "assessment__signed_off_by",
            "assessment__person",
            "graded_by",
            "grading_signed_off_by",
            "allocated_team",
            "allocated_officer",
            "received_by",
            "import_batch",
            "rso_notice_acknowledged_by",
        )
        .prefetch_related("identifiers", "children", "material", "linked_referrals")
        .get(pk=referral.pk)
    )


# Column orders a user may pick instead of the triage order (?sort=key or -key).
QUEUE_SORTS = {
    "received": "received_at",
    "status": "status",
    "priority": "priority_rank",
    "target": "target_at",
}


def referral_queue(
    *, user, status: str = QUEUE_OPEN, priority: str = "", source: str = "", sort: str = ""
) -> QuerySet[Referral]:
    """The referral queue: awaiting assessment first, then by priority (very high first)
    and time left to target (least first), then oldest received. `sort` (a QUEUE_SORTS
    key, "-" first for descending) orders by that column instead, ties in triage order;
    an unknown one is ignored.

    `status` "open" (the default) is every referral not yet actioned, linked or closed;
    "all" is everything; otherwise one Status value. Unknown filter values are ignored.
    """
    qs = referral_scope(user).select_related(
        "team", "suspect", "allocated_team", "allocated_officer"
    )
    if status == QUEUE_OPEN or status not in (QUEUE_ALL, *Status.values):
        qs = qs.filter(
            Q(status__in=OPEN_STATUSES) | Q(status=Status.ALLOCATED, actioned_at__isnull=True)
        )
    elif status != QUEUE_ALL:
        qs = qs.filter(status=status)
    if priority in RiskLevel.values:
        qs = qs.filter(priority=priority)
    if source:
        from vigil.referrals.choices import Source

        if source in Source.values:
            qs = qs.filter(source=source)
    triage = ("assessment_first", "priority_rank", "target_at", "received_at", "id")
    column = QUEUE_SORTS.get(sort.lstrip("-"))
    if column is not None:
        field = F(column)
        first = field.desc(nulls_last=True) if sort.startswith("-") else field.asc(nulls_last=True)
        triage = (first, *triage)
    return qs.annotate(
        assessment_first=AWAITING_ASSESSMENT_FIRST, priority_rank=PRIORITY_ORDER
    ).order_by(*triage)


def referral_duties(referral: Referral) -> QuerySet[Duty]:
    return (
        Duty.objects.filter(subject_type=SUBJECT_TYPE, subject_id=referral.uuid)
        .select_related("team", "assignee", "completed_by")
        .order_by("due_at", "id")
    )


def referral_timeline(referral: Referral) -> QuerySet[AuditEvent]:
    """The audit-worthy events on the referral, oldest first (views left out)."""
    return (
        AuditEvent.objects.filter(target_type=SUBJECT_TYPE, target_id=str(referral.uuid))
        .exclude(action__endswith=".view")
        .order_by("at", "id")
    )


def allocation_teams(referral: Referral) -> QuerySet[Team]:
    """Any team of the referral's force, POLIT or not."""
    return Team.objects.filter(force_id=referral.team.force_id).order_by("name")


def allocation_officers(referral: Referral) -> QuerySet[User]:
    """Active users with a casework role in a team of the referral's force."""
    members = Membership.objects.filter(
        team__force_id=referral.team.force_id, role__in=CASEWORK_ROLES
    ).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("full_name", "id")


def officer_in_team(user: User, team: Team) -> bool:
    return Membership.objects.filter(user=user, team=team, role__in=CASEWORK_ROLES).exists()


def suspect_candidates(user, force) -> QuerySet[Person]:
    """People who may be named as a referral's suspect: anyone the force holds, unless
    restricted (need to know) without the user named on the restriction."""
    named = Person.restricted_to.through.objects.filter(user_id=user.pk).values("person_id")
    return Person.objects.filter(force=force).filter(Q(is_restricted=False) | Q(pk__in=named))


# --- matches on receipt --------------------------------------------------------------------


@dataclass
class ReferralMatch:
    referral: Referral
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        return [str(MatchReason(r).label) for r in self.reasons]

    @property
    def investigation(self):
        return getattr(self.referral, "investigation", None)


@dataclass
class PersonMatch:
    person: Person
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        from vigil.people.choices import MatchReason as PersonReason

        return [str(PersonReason(r).label) for r in self.reasons]


@dataclass
class Matches:
    """Earlier referrals and known people that a referral may duplicate or concern."""

    referrals: list[ReferralMatch]
    people: list[PersonMatch]
    hidden_count: int = 0

    def __bool__(self) -> bool:
        return bool(self.referrals or self.people or self.hidden_count)


def find_matches(
    *,
    user,
    force,
    source_reference: str = "",
    identifiers: list[tuple[str, str]] = (),
    suspect: Person | None = None,
    given_name: str = "",
    family_name: str = "",
    date_of_birth: dt.date | None = None,
    pnc_id: str = "",
    exclude: Referral | None = None,
) -> Matches:
    """Referrals and people a new (or `exclude`d existing) referral may match.

    Steps: earlier referrals of the force with the same source reference, the same
    normalised online identifier, or the same suspect — those the user may see are
    described, the rest only counted; people of the force with the same online identifier,
    PNC ID, or name and date of birth — restricted people the user is not named on are
    only counted. Identifiers are (kind, normalised value) pairs. One query per rule.
    """
    pairs = [(k, v) for k, v in identifiers if v]
    ident_q = Q(pk__in=[])
    for kind, value in pairs:
        ident_q |= Q(kind=kind, normalised=value)
    reasons: dict[int, list[str]] = {}

    def add(ids, reason):
        for pk in ids:
            reasons.setdefault(pk, [])
            if reason not in reasons[pk]:
                reasons[pk].append(reason)

    ref = normalise.collapse(source_reference)
    base = Referral.objects.filter(force=force)
    if exclude is not None:
        base = base.exclude(pk=exclude.pk)
    if ref:
        add(
            base.filter(source_reference__iexact=ref).values_list("pk", flat=True)[:MAX_MATCHES],
            MatchReason.SOURCE_REFERENCE,
        )
    if pairs:
        ident_rows = ReferralIdentifier.objects.filter(ident_q, referral__force=force)
        if exclude is not None:
            ident_rows = ident_rows.exclude(referral=exclude)
        add(ident_rows.values_list("referral_id", flat=True)[:MAX_MATCHES], MatchReason.IDENTIFIER)
    if suspect is not None:
        add(base.filter(suspect=suspect).values_list("pk", flat=True)[:MAX_MATCHES], "suspect")
    hidden = 0
    referral_matches: list[ReferralMatch] = []
    if reasons:
        visible = {
            r.pk: r
            for r in referral_scope(user)
            .filter(pk__in=list(reasons))
            .select_related("team", "suspect", "investigation")
        }
        hidden += len(set(reasons) - set(visible))
        for pk in sorted(visible, key=lambda p: visible[p].received_at, reverse=True):
            referral_matches.append(ReferralMatch(visible[pk], reasons[pk]))

    people: dict[int, list[str]] = {}

    def add_person(ids, reason):
        for pk in ids:
            people.setdefault(pk, [])
            if reason not in people[pk]:
                people[pk].append(reason)

    people_base = Person.objects.filter(force=force)
    if suspect is not None:
        people_base = people_base.exclude(pk=suspect.pk)
    if pairs:
        add_person(
            OnlineIdentifier.objects.current()
            .filter(ident_q, person__force=force)
            .exclude(person=suspect)
            .values_list("person_id", flat=True)[:MAX_MATCHES],
            "identifier",
        )
    pnc = normalise.reference(pnc_id)
    if pnc:
        add_person(people_base.filter(pnc_id=pnc).values_list("pk", flat=True)[:MAX_MATCHES], "pnc")
    if (given_name or family_name) and date_of_birth:
        name = normalise.search_name(given_name, family_name)
        add_person(
            people_base.filter(search_name=name, date_of_birth=date_of_birth).values_list(
                "pk", flat=True
            )[:MAX_MATCHES],
            "name_dob",
        )
    person_matches: list[PersonMatch] = []
    if people:
        shown = {
            p.pk: p
            for p in suspect_candidates(user, force)
            .filter(pk__in=list(people))
            .select_related("team")
        }
        hidden += len(set(people) - set(shown))
        for pk in sorted(shown, key=lambda p: (shown[p].family_name, shown[p].given_name, p)):
            person_matches.append(PersonMatch(shown[pk], people[pk]))
    return Matches(referrals=referral_matches, people=person_matches, hidden_count=hidden)


def matches_for_referral(*, user, referral: Referral) -> Matches:
    """The matches of a referral already held (shown on its page)."""
    referral = referral_record(referral)
    return find_matches(
        user=user,
        force=referral.team.force,
        source_reference=referral.source_reference,
        identifiers=[(i.kind, i.normalised) for i in referral.identifiers.all()],
        suspect=referral.suspect,
        exclude=referral,
    )


def time_left(target_at: dt.datetime | None, now: dt.datetime | None = None):
    """The time from now to the target (negative when overdue), or None without a target."""
    if target_at is None:
        return None
    return target_at - (now or clock.now())


# --- the assessments of referrals (declared to the instruments app in apps.py) -----------


def assessments_visible_q(user) -> Q:
    """A Q on instruments' Assessment: the assessments of referrals the user may see."""
    return Q(subject_type="referrals.referral", subject_id__in=referral_scope(user).values("uuid"))


def supervises_assessment(user, assessment) -> bool:
    """Whether the user supervises the referral the assessment belongs to."""
    referral = Referral.objects.select_related("team").filter(uuid=assessment.subject_id).first()
    return referral is not None and supervises(user, referral)
