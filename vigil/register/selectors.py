"""Permission-scoped reads of register reconciliation.

Who sees what:
- a discrepancy about a nominal: casework roles (officer, supervisor, manager, analyst)
  reaching the nominal's managing team, with the people app's need-to-know rule;
- a register row with no nominal (no team yet): supervisors, managers and analysts of a
  MOSOVO team of the force, or with force scope;
- imports: supervisors and managers of a MOSOVO team (or force-wide) and administrators
  of the forces the extract covers;
- the reconciliation report's counts (no personal data): the same casework users, and
  the assurance role for its forces. Anything with personal data is a 404 for assurance.
Missing and forbidden are both 404. Lists cost a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES, SUPERVISORY_ROLES, Role, Scope, TeamKind
from vigil.accounts.models import Force, Team, User
from vigil.core import clock
from vigil.core.calendar import end_of_day
from vigil.core.exceptions import NotFound
from vigil.core.policy_registry import policy_value
from vigil.offenders.choices import NominalStatus
from vigil.offenders.models import Nominal
from vigil.people.models import Person
from vigil.register.choices import (
    AGE_BANDS,
    DiscrepancyKind,
    DiscrepancyStatus,
    ExtractStatus,
)
from vigil.register.models import Discrepancy, Extract

UNASSIGNED_ROLES = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ANALYST})


def _not_found() -> NotFound:
    return NotFound(_("There is no such record, or you do not have access to it."))


def _uuid(value) -> uuid_module.UUID:
    try:
        return value if isinstance(value, uuid_module.UUID) else uuid_module.UUID(str(value))
    except ValueError:
        raise _not_found() from None


# --- reach -------------------------------------------------------------------------------


def _mosovo_forces(user, roles) -> set[int]:
    """Forces where the user holds one of `roles` on a MOSOVO team, or force-wide."""
    out: set[int] = set()
    for m in access.memberships(user):
        if m.role in roles and (m.scope == Scope.FORCE or m.team.kind == TeamKind.MOSOVO):
            out.add(m.team.force_id)
    return out


def import_force_ids(user) -> set[int]:
    """Forces the user may import extracts for: supervisor or manager of a MOSOVO team or
    force-wide, or administrator (a superuser reaches every force)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if getattr(user, "is_superuser", False):
        return set(Force.objects.values_list("pk", flat=True))
    forces = _mosovo_forces(user, SUPERVISORY_ROLES)
    forces |= {m.team.force_id for m in access.memberships(user) if m.role == Role.ADMIN}
    return forces


def can_import(user) -> bool:
    return bool(import_force_ids(user))


def report_force_ids(user) -> set[int]:
    """Forces whose reconciliation figures the user may see."""
    forces = _mosovo_forces(user, CASEWORK_ROLES)
    forces |= {m.team.force_id for m in access.memberships(user) if m.role == Role.ASSURANCE}
    return forces


def has_mosovo_work(user) -> bool:
    """Whether the register pages are for the user (MOSOVO casework, import or assurance)."""
    return bool(report_force_ids(user)) or can_import(user)


def _person_allowed(user) -> Q:
    named = Person.restricted_to.through.objects.filter(
        person_id=OuterRef("nominal__person_id"), user_id=user.pk
    )
    return Q(nominal__person__is_restricted=False) | Q(Exists(named))


def discrepancies_for(user) -> QuerySet[Discrepancy]:
    """Every live (open or closed, never pending) discrepancy the user may see."""
    if not access.is_casework_user(user):
        return Discrepancy.objects.none()
    about_nominal = (
        Q(nominal__isnull=False) & access.teams_q(user, CASEWORK_ROLES) & _person_allowed(user)
    )
    q = about_nominal
    forces = _mosovo_forces(user, UNASSIGNED_ROLES)
    if forces:
        q |= Q(nominal__isnull=True, force_id__in=forces)
    return Discrepancy.objects.filter(q).exclude(status=DiscrepancyStatus.PENDING)


def can_manage(user, discrepancy: Discrepancy) -> bool:
    """Supervisors and managers reaching the discrepancy's team (or, with no team, a
    MOSOVO team of its force) may assign and resolve it."""
    if discrepancy.team_id is not None:
        team_ids, force_ids = access.team_scope(user, SUPERVISORY_ROLES)
        return discrepancy.team_id in team_ids or discrepancy.force_id in force_ids
    return discrepancy.force_id in _mosovo_forces(user, SUPERVISORY_ROLES)


# --- discrepancies -------------------------------------------------------------------------


def _age_band(now: dt.datetime):
    whens = []
    for band, days in reversed(AGE_BANDS):
        whens.append(When(opened_at__lte=now - dt.timedelta(days=days), then=Value(str(band))))
    return Case(*whens, default=Value(str(AGE_BANDS[0][0])), output_field=CharField())


LIST_SORTS = {
    "opened": ["opened_at", "pk"],
    "kind": ["kind", "field", "opened_at", "pk"],
    "reference": ["register_reference", "pk"],
    "team": ["team__name", "opened_at", "pk"],
}


def discrepancy_list(
    *,
    user,
    status: str = DiscrepancyStatus.OPEN,
    kind: str = "",
    team=None,
    assignee=None,
    unassigned: bool = False,
    field: str = "",
    sort: str = "opened",
) -> QuerySet[Discrepancy]:
    """The discrepancies the user may see, filtered, with nominal, person, team and
    assignee joined (one query for the rows)."""
    qs = discrepancies_for(user).select_related(
        "nominal__person", "team", "force", "assignee", "found_in"
    )
    if status in (DiscrepancyStatus.OPEN, DiscrepancyStatus.CLOSED):
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if field:
        qs = qs.filter(field=field)
    if team is not None:
        qs = qs.filter(team_id=team.pk)
    if assignee is not None:
        qs = qs.filter(assignee_id=assignee.pk)
    if unassigned:
        qs = qs.filter(assignee__isnull=True)
    key = (sort or "opened").lstrip("-")
    fields = LIST_SORTS.get(key, LIST_SORTS["opened"])
    if sort.startswith("-") and key in LIST_SORTS:
        fields = ["-" + fields[0], *fields[1:]]
    return qs.order_by(*fields)


def get_discrepancy_for_user(user, uuid, *, audit_view: bool = True) -> Discrepancy:
    """One discrepancy the user may see; the read is audited (against the person when it
    is about a nominal)."""
    key = _uuid(uuid)
    discrepancy = (
        discrepancies_for(user)
        .select_related(
            "nominal__person",
            "nominal__offender_manager",
            "team",
            "force",
            "assignee",
            "closed_by",
            "found_in",
            "last_seen_in",
            "closed_by_extract",
        )
        .filter(uuid=key)
        .first()
    )
    if discrepancy is None:
        raise _not_found()
    if audit_view:
        person = discrepancy.nominal.person if discrepancy.nominal_id else None
        audit.record(
            user,
            "register.discrepancy_view",
            discrepancy,
            changes={"register_reference": discrepancy.register_reference},
            person=person,
        )
    return discrepancy


def assignable_users(*, user, discrepancy: Discrepancy) -> QuerySet[User]:
    """Who a discrepancy may be given to: active casework users reaching its team; with
    no team, those reaching a MOSOVO team the assigning supervisor reaches."""
    from vigil.duties.selectors import assignable_officers

    if discrepancy.team_id is not None:
        return assignable_officers(team=discrepancy.team)
    teams = supervised_mosovo_teams(user=user, force_id=discrepancy.force_id)
    reach = Q(memberships__team__in=teams) | Q(
        memberships__scope=Scope.FORCE, memberships__team__force_id=discrepancy.force_id
    )
    return (
        User.objects.filter(Q(is_active=True, memberships__role__in=CASEWORK_ROLES) & reach)
        .distinct()
        .order_by("full_name", "pk")
    )


def supervised_mosovo_teams(*, user, force_id: int) -> QuerySet[Team]:
    team_ids, force_ids = access.team_scope(user, SUPERVISORY_ROLES)
    return Team.objects.filter(
        Q(pk__in=team_ids) | Q(force_id__in=force_ids), force_id=force_id, kind=TeamKind.MOSOVO
    ).order_by("name", "pk")


def teams_for_filter(*, user) -> QuerySet[Team]:
    team_ids, force_ids = access.team_scope(user, CASEWORK_ROLES)
    return Team.objects.filter(
        Q(pk__in=team_ids) | Q(force_id__in=force_ids), kind=TeamKind.MOSOVO
    ).order_by("name", "pk")


# --- extracts ------------------------------------------------------------------------------


def extract_list(*, user) -> QuerySet[Extract]:
    """Extracts covering a force the user may import for, newest first."""
    forces = import_force_ids(user)
    if not forces:
        return Extract.objects.none()
    return (
        Extract.objects.filter(
            Exists(
                Extract.forces.through.objects.filter(
                    extract_id=OuterRef("pk"), force_id__in=forces
                )
            )
        )
        .select_related("imported_by")
        .order_by("-created_at", "-pk")
    )


def get_extract_for_user(user, uuid) -> Extract:
    extract = extract_list(user=user).filter(uuid=_uuid(uuid)).first()
    if extract is None:
        raise _not_found()
    return extract


def extract_forces(extract: Extract) -> list[dict]:
    return list(
        extract.force_links.select_related("force")
        .order_by("force__name")
        .values("force__name", "force__code", "rows")
    )


# --- report and evidence ---------------------------------------------------------------------


def _as_of_moment(as_of) -> dt.datetime:
    if isinstance(as_of, dt.datetime):
        return as_of
    return end_of_day(as_of)


def latest_extract(*, force, as_of=None) -> Extract | None:
    """The latest extract covering `force` completed by `as_of` (a date: its end; a
    datetime; default now)."""
    moment = clock.now() if as_of is None else _as_of_moment(as_of)
    return (
        Extract.objects.filter(
            status=ExtractStatus.COMPLETE,
            completed_at__lte=moment,
            force_links__force_id=force.pk if hasattr(force, "pk") else force,
        )
        .order_by("-completed_at", "-pk")
        .first()
    )


def open_at(moment: dt.datetime) -> Q:
    """Discrepancies open at `moment` (from their opening and closing times)."""
    return Q(opened_at__isnull=False, opened_at__lte=moment) & (
        Q(closed_at__isnull=True) | Q(closed_at__gt=moment)
    )


def register_evidence(*, force, as_of=None) -> dict:
    """Point I's figures for `force` as they stood at `as_of` (a date: the end of that
    day; or a datetime; default now).

    - `denominator`: active nominals of the force (registered in Vigil by then, and
      active now: Vigil keeps no history of status, so a nominal that has since left the
      community is left out of past figures too);
    - `numerator`: those with no discrepancy about them open at that moment (opened on or
      before it, not closed by then);
    - `latest_reconciliation`: when the latest extract covering the force completed
      reconciliation by then (None if none), and `age_days` since it.
    Two aggregate queries and one for the extract; no personal data.
    """
    moment = clock.now() if as_of is None else _as_of_moment(as_of)
    force_id = force.pk if hasattr(force, "pk") else force
    extract = latest_extract(force=force_id, as_of=moment)
    active = Nominal.objects.filter(
        team__force_id=force_id, status=NominalStatus.ACTIVE, created_at__lte=moment
    )
    open_about = Discrepancy.objects.filter(open_at(moment), nominal_id=OuterRef("pk"))
    counts = active.aggregate(
        denominator=Count("pk"),
        with_open=Count("pk", filter=Q(Exists(open_about))),
    )
    denominator = counts["denominator"]
    numerator = (denominator - counts["with_open"]) if extract is not None else 0
    latest = extract.completed_at if extract is not None else None
    age_days = None
    if latest is not None:
        age_days = (timezone.localdate(moment) - timezone.localdate(latest)).days
    return {
        "numerator": numerator,
        "denominator": denominator,
        "latest_reconciliation": latest,
        "age_days": age_days,
        "extract": extract.uuid if extract is not None else None,
    }


def reconciliation_report(*, user) -> dict:
    """The report's counts of open discrepancies the user may see, by kind, by age band and
    by team (three aggregate queries), with point I's figures for each force the user's
    report reaches (three queries a force). No personal data."""
    now = clock.now()
    forces = report_force_ids(user)
    if access.is_casework_user(user):
        scope = discrepancies_for(user)
    else:
        scope = Discrepancy.objects.filter(force_id__in=forces).exclude(
            status=DiscrepancyStatus.PENDING
        )
    open_qs = scope.filter(status=DiscrepancyStatus.OPEN)
    by_kind = {r["kind"]: r["n"] for r in open_qs.values("kind").annotate(n=Count("pk")).order_by()}
    by_age = {
        r["band"]: r["n"]
        for r in open_qs.annotate(band=_age_band(now))
        .values("band")
        .annotate(n=Count("pk"))
        .order_by()
    }
    by_team = list(
        open_qs.values("team_id", "team__name")
        .annotate(
            n=Count("pk"),
            not_in_vigil=Count("pk", filter=Q(kind=DiscrepancyKind.NOT_IN_VIGIL)),
            not_on_register=Count("pk", filter=Q(kind=DiscrepancyKind.NOT_ON_REGISTER)),
            field_differs=Count("pk", filter=Q(kind=DiscrepancyKind.FIELD_DIFFERS)),
            unassigned=Count("pk", filter=Q(assignee__isnull=True)),
        )
        .order_by(F("team__name").asc(nulls_first=True))
    )
    max_age = policy_value("register.reconcile_every_days")
    figures = []
    for force in Force.objects.filter(pk__in=forces).order_by("name"):
        evidence = register_evidence(force=force, as_of=now)
        share = (
            round(100 * evidence["numerator"] / evidence["denominator"], 1)
            if evidence["denominator"]
            else None
        )
        figures.append(
            {
                "force": force,
                **evidence,
                "share": share,
                "overdue": evidence["age_days"] is None or evidence["age_days"] > max_age,
            }
        )
    kinds = [
        {"kind": k, "label": k.label, "count": by_kind.get(k.value, 0)} for k in DiscrepancyKind
    ]
    ages = [{"band": b, "label": b.label, "count": by_age.get(b.value, 0)} for b, _d in AGE_BANDS]
    return {
        "kinds": kinds,
        "ages": ages,
        "teams": by_team,
        "total": sum(by_kind.values()),
        "figures": figures,
        "max_age": max_age,
    }
