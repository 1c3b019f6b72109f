"""Permission-scoped reads of people.

Three layers decide what a user sees: role (only casework roles see person records),
scope (the owning team must be one the user reaches) and need to know (a restricted
person is listed and shown only to the users named on the restriction; anyone else who
opens the record is told that it is restricted, and the attempt is audited).
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import BooleanField, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES, SUPERVISORY_ROLES, Scope
from vigil.accounts.models import Membership, Team, User
from vigil.core.exceptions import NotFound
from vigil.people import normalise
from vigil.people.choices import MatchReason
from vigil.people.exceptions import PersonRestricted
from vigil.people.models import Address, Alias, ChildLink, OnlineIdentifier, Person

# ?sort= keys for the people list and the columns they order by.
PERSON_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("family_name", "given_name", "id"),
    "dob": ("date_of_birth", "family_name", "id"),
    "pnc": ("pnc_id", "id"),
    "team": ("team__name", "family_name", "id"),
    "updated": ("updated_at", "id"),
}
DEFAULT_SORT = "name"

# At most this many possible duplicates are reported (enough to make the point).
MAX_DUPLICATES = 25


def _not_found() -> NotFound:
    return NotFound(
        _("There is no person with that id, or you do not have access to their record.")
    )


def _named_on_restriction(user) -> Exists:
    return Exists(
        Person.restricted_to.through.objects.filter(person_id=OuterRef("pk"), user_id=user.pk)
    )


# Other apps widen a user's reach to people whose record their work needs although
# another team owns it (the unit a POLIT investigation is allocated to needs the
# suspect's record). Each function takes the user and returns a Q on Person; use
# Exists() subqueries, so that a person is never listed twice.
_SCOPE_EXTENSIONS: list[Callable[[User], Q]] = []


def extend_person_scope(extension: Callable[[User], Q]) -> None:
    """Register `extension` (called from an app's ready())."""
    if extension not in _SCOPE_EXTENSIONS:
        _SCOPE_EXTENSIONS.append(extension)


def people_in_scope(user) -> QuerySet[Person]:
    """Every person whose owning team the user reaches in a casework role, or whom an
    app's scope extension gives them (restricted people included: callers decide what
    to do with them)."""
    if not access.is_casework_user(user):
        return Person.objects.none()
    q = access.teams_q(user, CASEWORK_ROLES)
    for extension in _SCOPE_EXTENSIONS:
        q |= extension(user)
    return Person.objects.filter(q)


def visible_people(user) -> QuerySet[Person]:
    """The people the user may see: in scope, and either not restricted or restricted
    with the user named on the restriction."""
    return people_in_scope(user).filter(Q(is_restricted=False) | Q(_named_on_restriction(user)))


def restricted_hidden(user) -> bool:
    """Whether the people list leaves out someone in the user's scope because they are
    restricted and the user is not named on the restriction. Asked of the whole scope,
    never of a search or filter's results, and never how many: otherwise a search for a
    name would tell whether a restricted person of that name exists (docs/access.md)."""
    return (
        people_in_scope(user)
        .filter(is_restricted=True)
        .exclude(_named_on_restriction(user))
        .exists()
    )


def person_list(*, user, search: str = "", sort: str = DEFAULT_SORT) -> QuerySet[Person]:
    """The people list: visible people matching `search` (part of a name or alias, or a
    whole PNC ID or register reference), ordered by `sort` (a PERSON_SORTS key, "-" for
    descending). Owning team is joined, so a page of it costs one query."""
    qs = visible_people(user).select_related("team")
    term = normalise.collapse(search)
    if term:
        name = term.casefold()
        ref = normalise.reference(term)
        qs = qs.filter(
            Q(search_name__contains=name)
            | Q(pnc_id=ref)
            | Q(register_reference=ref)
            | Q(
                Exists(
                    Alias.objects.current().filter(
                        person_id=OuterRef("pk"), search_name__contains=name
                    )
                )
            )
        )
    key = (sort or DEFAULT_SORT).lstrip("-")
    fields = PERSON_SORTS.get(key, PERSON_SORTS[DEFAULT_SORT])
    if sort and sort.startswith("-") and key in PERSON_SORTS:
        fields = tuple("-" + f for f in fields)
    return qs.order_by(*fields)


def normalise_sort(sort: str | None) -> str:
    """The sort key as the list will apply it (unknown keys fall back to the default)."""
    if sort and sort.lstrip("-") in PERSON_SORTS:
        return sort
    return DEFAULT_SORT


def get_person_for_user(user, uuid, action: str = "view") -> Person:
    """The person with public id `uuid`, if the user may see their record.

    Steps: only casework roles see records and only for teams they reach, else NotFound
    (missing and forbidden alike); a restricted person the user is not named on is
    refused with PersonRestricted, and the attempt is audited ("person.view_denied");
    otherwise the read is audited ("person.view") and the person returned. `action`
    says why the record is read (view, edit, ...) and is kept in the audit event.
    """
    try:
        key = uuid if isinstance(uuid, uuid_module.UUID) else uuid_module.UUID(str(uuid))
    except ValueError:
        raise _not_found() from None
    person = (
        people_in_scope(user)
        .select_related("team", "force")
        .annotate(user_is_named=_named_on_restriction(user))
        .filter(uuid=key)
        .first()
    )
    if person is None:
        raise _not_found()
    changes = {} if action == "view" else {"purpose": action}
    if person.is_restricted and not person.user_is_named:
        audit.record(user, "person.view_denied", person, changes=changes)
        raise PersonRestricted(team_name=person.team.name)
    audit.record(user, "person.view", person, changes=changes)
    return person


def person_record(person: Person) -> Person:
    """The person with everything their record page shows, in a fixed number of queries
    (aliases and identifiers include the removed ones: see split_removed)."""
    return (
        Person.objects.select_related("team", "force")
        .prefetch_related(
            Prefetch("aliases", queryset=Alias.objects.select_related("removed_by")),
            "addresses",
            Prefetch("identifiers", queryset=OnlineIdentifier.objects.select_related("removed_by")),
            "children",
            "restricted_to",
        )
        .get(pk=person.pk)
    )


def split_removed(rows: Iterable) -> tuple[list, list]:
    """Aliases or identifiers (prefetched by person_record) as (current, removed), the
    removed most recent first."""
    rows = list(rows)
    current = [r for r in rows if r.removed_at is None]
    removed = sorted((r for r in rows if r.removed_at is not None), key=lambda r: r.removed_at)
    return current, removed[::-1]


def _part_of_record(queryset: QuerySet, uuid) -> object:
    try:
        key = uuid if isinstance(uuid, uuid_module.UUID) else uuid_module.UUID(str(uuid))
    except ValueError:
        key = None
    found = queryset.filter(uuid=key).first() if key is not None else None
    if found is None:
        raise NotFound(_("There is nothing with that id on this person's record."))
    return found


# A part of a person's record, by its public id, for a person the caller has already
# read through get_person_for_user (so the access check is done): missing, or on another
# person's record → NotFound. Removed and ended rows are returned too (the services
# refuse to end or remove them twice).


def address_on_record(person: Person, uuid) -> Address:
    return _part_of_record(person.addresses.all(), uuid)


def child_link_on_record(person: Person, uuid) -> ChildLink:
    return _part_of_record(person.children.all(), uuid)


def alias_on_record(person: Person, uuid) -> Alias:
    return _part_of_record(person.aliases.all(), uuid)


def identifier_on_record(person: Person, uuid) -> OnlineIdentifier:
    return _part_of_record(person.identifiers.all(), uuid)


def can_supervise(user, person: Person) -> bool:
    """Whether the user is a supervisor or manager over the person's owning team (no query
    beyond the user's cached memberships)."""
    team_ids, force_ids = access.team_scope(user, SUPERVISORY_ROLES)
    return person.team_id in team_ids or person.force_id in force_ids


def teams_for_person_create(user) -> QuerySet[Team]:
    """The teams the user may create a person record in (those they reach in casework)."""
    team_ids, force_ids = access.team_scope(user, CASEWORK_ROLES)
    return Team.objects.filter(Q(pk__in=team_ids) | Q(force_id__in=force_ids)).select_related(
        "force"
    )


def restriction_candidates(person: Person) -> QuerySet[User]:
    """Active users who could be named on a restriction: casework users who reach the
    person's owning team."""
    reaching = Membership.objects.filter(user_id=OuterRef("pk"), role__in=CASEWORK_ROLES).filter(
        Q(team_id=person.team_id) | Q(scope=Scope.FORCE, team__force_id=person.force_id)
    )
    return User.objects.filter(Exists(reaching), is_active=True).order_by("full_name", "id")


@dataclass
class DuplicateMatch:
    """An existing record the new one may duplicate, and why."""

    person: Person
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        return [str(MatchReason(r).label) for r in self.reasons]


@dataclass
class DuplicateCheck:
    """The result of the duplicate check: matches the user may see, and how many others."""

    matches: list[DuplicateMatch]
    hidden_count: int
    all_person_ids: list[int]

    def __bool__(self) -> bool:
        return bool(self.matches) or self.hidden_count > 0


def find_possible_duplicates(
    *,
    user,
    given_name: str = "",
    family_name: str = "",
    date_of_birth: dt.date | None = None,
    pnc_id: str = "",
    register_reference: str = "",
    identifiers: Iterable[tuple[str, str]] = (),
    exclude: Person | None = None,
) -> DuplicateCheck:
    """Existing people who may be the person described, across every team and force.

    Matches: the same PNC ID; the same register reference; the same online identifier
    (kind and normalised value); the same name (case- and space-insensitive) and date of
    birth, on the record itself or on one of its aliases. Identifiers are given as
    (kind, already-normalised value) pairs. Removed aliases and identifiers never match.

    Steps: one indexed lookup per rule collects candidate ids; one query reads the
    candidates and which identifier/alias rules they meet; another finds which of them
    the user may see. Matches the user may not see (out of
    scope, or restricted without naming them) are only counted, never described.
    """
    name = normalise.search_name(given_name, family_name) if (given_name or family_name) else ""
    pnc = normalise.reference(pnc_id)
    ref = normalise.reference(register_reference)
    pairs = [(k, v) for k, v in identifiers if v]
    ident_q = Q(pk__in=[])
    for kind, value in pairs:
        ident_q |= Q(kind=kind, normalised=value)
    ident_exists = (
        Exists(OnlineIdentifier.objects.current().filter(ident_q, person_id=OuterRef("pk")))
        if pairs
        else Value(False, output_field=BooleanField())
    )
    alias_exists = (
        Exists(Alias.objects.current().filter(person_id=OuterRef("pk"), search_name=name))
        if name
        else Value(False, output_field=BooleanField())
    )

    # Each rule is its own indexed lookup (an OR across them would scan every record).
    ids: set[int] = set()
    if pnc:
        ids.update(Person.objects.filter(pnc_id=pnc).values_list("pk", flat=True)[:MAX_DUPLICATES])
    if ref:
        ids.update(
            Person.objects.filter(register_reference=ref).values_list("pk", flat=True)[
                :MAX_DUPLICATES
            ]
        )
    if pairs:
        ids.update(
            OnlineIdentifier.objects.current()
            .filter(ident_q)
            .values_list("person_id", flat=True)[:MAX_DUPLICATES]
        )
    if name and date_of_birth:
        ids.update(
            Person.objects.filter(search_name=name, date_of_birth=date_of_birth).values_list(
                "pk", flat=True
            )[:MAX_DUPLICATES]
        )
        ids.update(
            Alias.objects.current()
            .filter(search_name=name, person__date_of_birth=date_of_birth)
            .values_list("person_id", flat=True)[:MAX_DUPLICATES]
        )
    q = Q(pk__in=ids)
    candidates = Person.objects.annotate(ident_match=ident_exists, alias_match=alias_exists).filter(
        q
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    rows = list(
        candidates.select_related("team").order_by("family_name", "given_name", "id")[
            :MAX_DUPLICATES
        ]
    )
    if not rows:
        return DuplicateCheck(matches=[], hidden_count=0, all_person_ids=[])

    visible_ids = set(
        visible_people(user).filter(pk__in=[p.pk for p in rows]).values_list("pk", flat=True)
    )
    matches: list[DuplicateMatch] = []
    hidden = 0
    for person in rows:
        if person.pk not in visible_ids:
            hidden += 1
            continue
        reasons = []
        if pnc and person.pnc_id.upper() == pnc:
            reasons.append(MatchReason.PNC.value)
        if ref and person.register_reference.upper() == ref:
            reasons.append(MatchReason.REGISTER_REFERENCE.value)
        if pairs and person.ident_match:
            reasons.append(MatchReason.IDENTIFIER.value)
        if name and date_of_birth and person.date_of_birth == date_of_birth:
            if person.search_name == name:
                reasons.append(MatchReason.NAME_DOB.value)
            elif person.alias_match:
                reasons.append(MatchReason.ALIAS_DOB.value)
        matches.append(DuplicateMatch(person=person, reasons=reasons))
    return DuplicateCheck(matches=matches, hidden_count=hidden, all_person_ids=[p.pk for p in rows])
