"""Every change to people's records: create and update, aliases, addresses, online
identifiers, linked children, and need-to-know restrictions. Each service checks the
actor may work on the record, validates everything before writing, and writes its audit
event (with the person) in the same transaction."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from vigil import audit
from vigil.audit.services import diff
from vigil.core import clock
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.policy_registry import policy_value
from vigil.duties import selectors as duty_selectors
from vigil.duties import services as duties
from vigil.people import normalise, selectors
from vigil.people.choices import ChildRelationship, Gender, IdentifierKind, Language
from vigil.people.duty_kinds import RESTRICTION_REVIEW
from vigil.people.exceptions import PersonRestricted, PossibleDuplicate
from vigil.people.models import Address, Alias, ChildLink, OnlineIdentifier, Person

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "gender",
    "pnc_id",
    "register_reference",
    "language",
)
# Fields whose change may make the record a duplicate of another.
IDENTIFYING_FIELDS = {"given_name", "family_name", "date_of_birth", "pnc_id", "register_reference"}
EARLIEST_DATE = dt.date(1900, 1, 1)
REASON_MAX_LENGTH = 2000

# Apps told when a person's circumstances change (a new current address, a child linked):
# each listener is called as listener(actor, person, what) in the same transaction.
_CIRCUMSTANCE_LISTENERS: list[Callable] = []


def on_circumstances_change(listener: Callable) -> None:
    """Register `listener` (called from an app's ready())."""
    if listener not in _CIRCUMSTANCE_LISTENERS:
        _CIRCUMSTANCE_LISTENERS.append(listener)


def _circumstances_changed(actor, person: Person, what: str) -> None:
    for listener in _CIRCUMSTANCE_LISTENERS:
        listener(actor, person, what)


# Apps told when a person's details change (person_update): each listener is called as
# listener(actor, person, fields) with the names of the fields changed, in the same
# transaction (the offenders app keeps a nominal's register reference and date of birth
# in its effective-dated history).
_DETAIL_LISTENERS: list[Callable] = []


def on_details_change(listener: Callable) -> None:
    """Register `listener` (called from an app's ready())."""
    if listener not in _DETAIL_LISTENERS:
        _DETAIL_LISTENERS.append(listener)


_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$")


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()


# ---------------------------------------------------------------------------------------
# Checks shared by the services


def _ensure_can_work_on(actor, person: Person) -> None:
    """The actor reaches the person's team in a casework role and, if the person is
    restricted, is named on the restriction (the same rule as reading the record)."""
    found = (
        selectors.people_in_scope(actor)
        .filter(pk=person.pk)
        .annotate(user_is_named=selectors._named_on_restriction(actor))
        .values_list("is_restricted", "user_is_named", "team__name")
        .first()
    )
    if found is None:
        raise NotFound(
            _("There is no person with that id, or you do not have access to their record.")
        )
    is_restricted, named, team_name = found
    if is_restricted and not named:
        raise PersonRestricted(team_name=team_name)


def _ensure_supervises(actor, person: Person) -> None:
    if not selectors.can_supervise(actor, person):
        raise PermissionDenied(
            _("Only a supervisor or manager of the owning team can change a restriction.")
        )


def _check_date_not_future(errors: list, field: str, value, message: str) -> None:
    if value is not None and value > clock.today():
        errors.append((field, message))


def _check_length(errors: list, field: str, value: str, limit: int, label: str) -> None:
    if len(value) > limit:
        errors.append(
            (
                field,
                _("%(label)s must be %(limit)s characters or fewer")
                % {"label": label, "limit": limit},
            )
        )


def _person_values(values: dict) -> dict:
    """Validated, normalised person fields (only those given). Raises ValidationFailed
    naming every wrong field at once."""
    errors: list[tuple[str, str]] = []
    clean = dict(values)
    for name_field, missing, label in (
        ("given_name", _("Enter the person's given name"), _("Given name")),
        ("family_name", _("Enter the person's family name"), _("Family name")),
    ):
        if name_field in clean:
            clean[name_field] = normalise.collapse(clean[name_field])
            if not clean[name_field]:
                errors.append((name_field, missing))
            _check_length(errors, name_field, clean[name_field], 100, label)
    if "date_of_birth" in clean:
        dob = clean["date_of_birth"]
        _check_date_not_future(
            errors, "date_of_birth", dob, _("Date of birth must be today or in the past")
        )
        if dob is not None and dob < EARLIEST_DATE:
            errors.append(("date_of_birth", _("Date of birth must be after 1 January 1900")))
    if "gender" in clean:
        clean["gender"] = clean["gender"] or Gender.UNKNOWN
        if clean["gender"] not in Gender.values:
            errors.append(("gender", _("Select the person's gender")))
    if "language" in clean:
        clean["language"] = clean["language"] or Language.ENGLISH
        if clean["language"] not in Language.values:
            errors.append(("language", _("Select the person's preferred language")))
    if "pnc_id" in clean:
        clean["pnc_id"] = normalise.reference(clean["pnc_id"])
        if clean["pnc_id"] and not normalise.is_valid_pnc(clean["pnc_id"]):
            errors.append(
                (
                    "pnc_id",
                    _("Enter a PNC ID in the correct format, like 12/345678A or 2012/0345678A"),
                )
            )
    if "register_reference" in clean:
        clean["register_reference"] = normalise.reference(clean["register_reference"])
        _check_length(
            errors, "register_reference", clean["register_reference"], 30, _("Register reference")
        )
    if errors:
        raise ValidationFailed(errors[0][1], field=errors[0][0], errors=errors)
    return clean


def _snapshot(person: Person) -> dict:
    return {f: getattr(person, f) for f in PERSON_FIELDS}


def _normalised_identifiers(identifiers: Iterable) -> list[tuple[str, str, str, str]]:
    """(kind, value, normalised, platform) for identifiers given as (kind, value) or
    (kind, value, platform)."""
    result = []
    for item in identifiers:
        kind, value, *rest = item
        platform = normalise.collapse(rest[0]) if rest else ""
        result.append(
            (kind, normalise.collapse(value), normalise.identifier(kind, value), platform)
        )
    return result


def _duplicate_check(actor, values: dict, identifiers, *, exclude=None):
    return selectors.find_possible_duplicates(
        user=actor,
        given_name=values.get("given_name", ""),
        family_name=values.get("family_name", ""),
        date_of_birth=values.get("date_of_birth"),
        pnc_id=values.get("pnc_id", ""),
        register_reference=values.get("register_reference", ""),
        identifiers=[(kind, norm) for kind, _value, norm, _platform in identifiers],
        exclude=exclude,
    )


def _duplicates_for_audit(check) -> list[str]:
    return [
        str(u)
        for u in Person.objects.filter(pk__in=check.all_person_ids).values_list("uuid", flat=True)
    ]


# ---------------------------------------------------------------------------------------
# Person


@transaction.atomic
def person_create(
    *,
    actor,
    team,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None = None,
    gender: str = Gender.UNKNOWN,
    pnc_id: str = "",
    register_reference: str = "",
    language: str = Language.ENGLISH,
    identifiers: Iterable = (),
    confirm_not_duplicate: bool = False,
) -> Person:
    """Create a person's record, owned by `team`.

    Steps: the actor must reach `team` in a casework role; every field is validated and
    normalised (names trimmed, PNC ID and register reference upper-cased, identifiers
    normalised); the duplicate check runs, and unless `confirm_not_duplicate` any match
    raises PossibleDuplicate (listing only matches the actor may see, counting the rest);
    then the person and their identifiers are written and audited ("person.create"),
    with the possible duplicates the actor confirmed were different people.
    """
    if not selectors.teams_for_person_create(actor).filter(pk=team.pk).exists():
        raise PermissionDenied(_("You cannot create records for that team."), field="team")
    values = _person_values(
        {
            "given_name": given_name,
            "family_name": family_name,
            "date_of_birth": date_of_birth,
            "gender": gender,
            "pnc_id": pnc_id,
            "register_reference": register_reference,
            "language": language,
        }
    )
    idents = _normalised_identifiers(identifiers)
    check = _duplicate_check(actor, values, idents)
    if check and not confirm_not_duplicate:
        raise PossibleDuplicate(matches=check.matches, hidden_count=check.hidden_count)

    person = Person(team=team, force_id=team.force_id, **values)
    person.search_name = normalise.search_name(person.given_name, person.family_name)
    person.save(force_insert=True)
    OnlineIdentifier.objects.bulk_create(
        OnlineIdentifier(person=person, kind=kind, value=value, normalised=norm, platform=platform)
        for kind, value, norm, platform in idents
    )
    changes = {f: [None, v] for f, v in values.items() if v not in ("", None)}
    changes["team"] = [None, team.name]
    if idents:
        changes["identifiers"] = [
            None,
            [f"{kind}:{norm}" for kind, _value, norm, _platform in idents],
        ]
    reason = ""
    if check:
        changes["confirmed_not_duplicate_of"] = _duplicates_for_audit(check)
        reason = _("Created after confirming it is not one of the possible duplicates found.")
    audit.record(actor, "person.create", person, changes=changes, reason=reason, person=person)
    return person


@transaction.atomic
def person_update(
    *,
    actor,
    person: Person,
    given_name=UNSET,
    family_name=UNSET,
    date_of_birth=UNSET,
    gender=UNSET,
    pnc_id=UNSET,
    register_reference=UNSET,
    language=UNSET,
    confirm_not_duplicate: bool = False,
) -> Person:
    """Change a person's details (only the fields given).

    Steps: the actor must be able to work on the record; the new values are validated
    and normalised; if a name, date of birth, PNC ID or register reference changes, the
    duplicate check runs against every other record (PossibleDuplicate unless
    `confirm_not_duplicate`); the row is saved and the before/after audited
    ("person.update"). Nothing is written or audited when nothing changes.
    """
    _ensure_can_work_on(actor, person)
    given = {
        k: v
        for k, v in {
            "given_name": given_name,
            "family_name": family_name,
            "date_of_birth": date_of_birth,
            "gender": gender,
            "pnc_id": pnc_id,
            "register_reference": register_reference,
            "language": language,
        }.items()
        if v is not UNSET
    }
    values = _person_values(given)
    before = _snapshot(person)
    after = {**before, **values}
    changes = diff(before, after)
    if not changes:
        return person
    if IDENTIFYING_FIELDS & set(changes):
        check = _duplicate_check(actor, after, [], exclude=person)
        if check and not confirm_not_duplicate:
            raise PossibleDuplicate(matches=check.matches, hidden_count=check.hidden_count)
        if check:
            changes["confirmed_not_duplicate_of"] = _duplicates_for_audit(check)
    for f, v in values.items():
        setattr(person, f, v)
    person.search_name = normalise.search_name(person.given_name, person.family_name)
    person.save(update_fields=[*values, "search_name", "updated_at"])
    audit.record(actor, "person.update", person, changes=changes, person=person)
    for listener in _DETAIL_LISTENERS:
        listener(actor, person, set(changes))
    return person


@transaction.atomic
def person_transfer(*, actor, person: Person, team, named: Sequence = ()) -> Person:
    """Give the record to another owning team (and its force), because the work on the
    person has moved there: a nominal whose management another force has accepted.

    Called by the domain service that moved the work, after it has checked the actor's
    authority. A restriction goes with the record: the users named on it from now on are
    `named` (the receiving side: the actor and whoever now works the case), because the
    users named before work for the sending team and can no longer reach the record; the
    open review of the restriction moves to the receiving team, assigned to the actor.
    Audited ("person.transfer", and "person.restrict" for the named users).
    """
    locked = Person.objects.select_for_update().select_related("team").get(pk=person.pk)
    if locked.team_id == team.pk:
        return locked
    before = {"team": str(locked.team.uuid), "force": locked.force_id}
    locked.team, locked.force_id = team, team.force_id
    locked.save(update_fields=["team", "force", "updated_at"])
    audit.record(
        actor,
        "person.transfer",
        locked,
        changes={
            "team": [before["team"], str(team.uuid)],
            "force": [before["force"], team.force_id],
        },
        person=locked,
    )
    if locked.is_restricted:
        _restriction_hand_over(actor, locked, team, [actor, *named])
    person.team, person.force_id = locked.team, locked.force_id
    return locked


def _restriction_hand_over(actor, person: Person, team, named: Sequence) -> None:
    """The restriction of a transferred record names the receiving side, and its review
    duty moves to the receiving team (see person_transfer)."""
    before = _restriction_snapshot(person)
    person.restricted_to.set({u.pk: u for u in named}.values())
    audit.record(
        actor,
        "person.restrict",
        person,
        changes=diff(before, _restriction_snapshot(person)),
        reason=_("The record was transferred to %(team)s") % {"team": team.name},
        person=person,
    )
    review = duty_selectors.open_duty_for(kind=RESTRICTION_REVIEW, subject=person)
    if review is not None:
        duties.duty_transfer(actor=actor, duty=review, team=team, assignee=actor)


# ---------------------------------------------------------------------------------------
# Aliases, addresses, identifiers, children


@transaction.atomic
def alias_add(*, actor, person: Person, given_name: str, family_name: str) -> Alias:
    """Record another name the person is known by (not one they already have)."""
    _ensure_can_work_on(actor, person)
    values = _person_values({"given_name": given_name, "family_name": family_name})
    name = normalise.search_name(values["given_name"], values["family_name"])
    if name == person.search_name or person.aliases.current().filter(search_name=name).exists():
        raise ValidationFailed(_("This person is already known by that name"), field="given_name")
    alias = Alias.objects.create(person=person, search_name=name, **values)
    audit.record(
        actor, "person.alias_add", alias, changes={"alias": [None, str(alias)]}, person=person
    )
    return alias


def _normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if _POSTCODE.match(compact) else compact


def _left_before_started() -> str:
    return _("The date the person left must be the same as or after the date they started")


def _address_values(
    *, line1: str, line2: str, town: str, postcode: str, valid_from: dt.date | None
) -> tuple[dict, list[tuple[str, str]]]:
    """An address's fields normalised (text trimmed, postcode upper-cased and spaced),
    and the errors in them (every wrong field at once)."""
    values = {
        "line1": normalise.collapse(line1),
        "line2": normalise.collapse(line2),
        "town": normalise.collapse(town),
        "postcode": _normalise_postcode(postcode),
        "valid_from": valid_from,
    }
    errors: list[tuple[str, str]] = []
    if not values["line1"]:
        errors.append(("line1", _("Enter address line 1, typically the building and street")))
    _check_length(errors, "line1", values["line1"], 200, _("Address line 1"))
    _check_length(errors, "line2", values["line2"], 200, _("Address line 2"))
    if not values["town"]:
        errors.append(("town", _("Enter the town or city")))
    _check_length(errors, "town", values["town"], 100, _("Town or city"))
    if not _POSTCODE.match(values["postcode"].replace(" ", "")):
        errors.append(("postcode", _("Enter a real postcode, like SA31 3AA")))
    if valid_from is None:
        errors.append(("valid_from", _("Enter the date the person started living at the address")))
    else:
        _check_date_not_future(
            errors,
            "valid_from",
            valid_from,
            _("The date the person started living at the address must be today or in the past"),
        )
    return values, errors


def _reason(errors: list, value: str, missing: str, field: str = "reason") -> str:
    reason = (value or "").strip()
    if not reason:
        errors.append((field, missing))
    _check_length(errors, field, reason, REASON_MAX_LENGTH, _("Reason"))
    return reason


@transaction.atomic
def address_add(
    *,
    actor,
    person: Person,
    line1: str,
    town: str,
    postcode: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    line2: str = "",
) -> Address:
    """Record an address the person lives or lived at.

    Steps: lock the person (so two additions cannot both become current); validate;
    a current address (no end date) closes the previous current address the day before
    it starts, and must start after it; a past address (with an end date) must end
    before the current address started. The new address and any closed one are audited
    in one event ("person.address_add").
    """
    _ensure_can_work_on(actor, person)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    values, errors = _address_values(
        line1=line1, line2=line2, town=town, postcode=postcode, valid_from=valid_from
    )
    valid_from = values["valid_from"]
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        errors.append(("valid_to", _left_before_started()))
    if errors:
        raise ValidationFailed(errors[0][1], field=errors[0][0], errors=errors)

    current = person.addresses.filter(valid_to__isnull=True).first()
    changes: dict = {}
    if current is not None and valid_to is None:
        if current.valid_from >= valid_from:
            raise ValidationFailed(
                _(
                    "A new current address must start after the current address started (%(date)s). "
                    "To record an earlier address, give the date the person left it."
                )
                % {"date": current.valid_from.strftime("%d/%m/%Y")},
                field="valid_from",
            )
        current.valid_to = valid_from - dt.timedelta(days=1)
        current.save(update_fields=["valid_to", "updated_at"])
        changes["closed_address"] = {
            "id": str(current.uuid),
            "address": str(current),
            "valid_to": [None, current.valid_to],
        }
    elif current is not None and valid_to is not None and valid_to >= current.valid_from:
        raise ValidationFailed(
            _("A past address must end before the current address started (%(date)s)")
            % {"date": current.valid_from.strftime("%d/%m/%Y")},
            field="valid_to",
        )
    address = Address.objects.create(person=person, valid_to=valid_to, **values)
    changes["address"] = [None, str(address)]
    changes["valid_from"] = [None, valid_from]
    if valid_to is not None:
        changes["valid_to"] = [None, valid_to]
    audit.record(actor, "person.address_add", address, changes=changes, person=person)
    if valid_to is None:
        _circumstances_changed(actor, person, "address")
    return address


@transaction.atomic
def identifier_add(
    *, actor, person: Person, kind: str, value: str, platform: str = ""
) -> OnlineIdentifier:
    """Link an online identifier (username, e-mail, phone, IP address, device) to the
    person, stored with its normalised form; the same identifier twice is refused."""
    _ensure_can_work_on(actor, person)
    if kind not in IdentifierKind.values:
        raise ValidationFailed(_("Select the kind of identifier"), field="kind")
    value = normalise.collapse(value)
    if not value:
        raise ValidationFailed(_("Enter the identifier"), field="value")
    errors: list[tuple[str, str]] = []
    _check_length(errors, "value", value, 300, _("Identifier"))
    platform = normalise.collapse(platform)
    _check_length(errors, "platform", platform, 100, _("Platform"))
    if errors:
        raise ValidationFailed(errors[0][1], field=errors[0][0], errors=errors)
    normalised = normalise.identifier(kind, value)
    if person.identifiers.current().filter(kind=kind, normalised=normalised).exists():
        raise ValidationFailed(_("This person already has that identifier"), field="value")
    identifier = OnlineIdentifier.objects.create(
        person=person, kind=kind, value=value, normalised=normalised, platform=platform
    )
    audit.record(
        actor,
        "person.identifier_add",
        identifier,
        changes={
            "kind": [None, kind],
            "value": [None, value],
            "normalised": [None, normalised],
            "platform": [None, platform],
        },
        person=person,
    )
    return identifier


@transaction.atomic
def child_link_add(
    *,
    actor,
    person: Person,
    child_name: str,
    relationship: str,
    date_of_birth: dt.date | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> ChildLink:
    """Link a child to the person: living in the household, or having access."""
    _ensure_can_work_on(actor, person)
    child_name = normalise.collapse(child_name)
    errors: list[tuple[str, str]] = []
    if not child_name:
        errors.append(
            ("child_name", _("Enter the child's name, or a description if the name is not known"))
        )
    _check_length(errors, "child_name", child_name, 200, _("Child's name"))
    if relationship not in ChildRelationship.values:
        errors.append(("relationship", _("Select how the child is linked to the person")))
    _check_date_not_future(
        errors,
        "date_of_birth",
        date_of_birth,
        _("The child's date of birth must be today or in the past"),
    )
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        errors.append(("valid_to", _("The end date must be the same as or after the start date")))
    if errors:
        raise ValidationFailed(errors[0][1], field=errors[0][0], errors=errors)
    link = ChildLink.objects.create(
        person=person,
        child_name=child_name,
        relationship=relationship,
        date_of_birth=date_of_birth,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    changes = {"child_name": [None, child_name], "relationship": [None, relationship]}
    for key, value in (
        ("date_of_birth", date_of_birth),
        ("valid_from", valid_from),
        ("valid_to", valid_to),
    ):
        if value is not None:
            changes[key] = [None, value]
    audit.record(actor, "person.child_link_add", link, changes=changes, person=person)
    if valid_to is None:
        _circumstances_changed(actor, person, "child")
    return link


# ---------------------------------------------------------------------------------------
# Ending, correcting and removing what a record holds. Nothing is deleted: an address or
# a child's link ends (its end date is set), an alias or identifier is marked removed.


def _lock(model, item, person: Person):
    """`item` read again and locked, after the person (the order address_add locks in),
    so that two changes to the same record cannot interleave."""
    Person.objects.select_for_update().filter(pk=person.pk).first()
    return model.objects.select_for_update().get(pk=item.pk)


def _raise(errors: list[tuple[str, str]]) -> None:
    if errors:
        raise ValidationFailed(errors[0][1], field=errors[0][0], errors=errors)


def _refresh(item, locked) -> None:
    """Copy what the service saved onto the caller's instance."""
    for f in locked._meta.concrete_fields:
        setattr(item, f.attname, getattr(locked, f.attname))


@transaction.atomic
def address_end(*, actor, address: Address, valid_to: dt.date | None) -> Address:
    """Record that the person moved out of their current address on `valid_to`, when
    where they went may not be known (the record then has no current address).

    Steps: the actor must be able to work on the record; lock the person and the
    address; the address must still be current (Conflict if it has ended); the date
    must be on or after the date they moved in and not in the future. Only the end date
    changes. Audited ("person.address_end"); the person's circumstances have changed
    (as when a new current address is added).
    """
    person = address.person
    _ensure_can_work_on(actor, person)
    locked = _lock(Address, address, person)
    if locked.valid_to is not None:
        raise Conflict(
            _("This address has already ended. To change its dates, correct the address.")
        )
    errors: list[tuple[str, str]] = []
    if valid_to is None:
        errors.append(("valid_to", _("Enter the date the person moved out")))
    else:
        _check_date_not_future(
            errors,
            "valid_to",
            valid_to,
            _("The date the person moved out must be today or in the past"),
        )
        if valid_to < locked.valid_from:
            errors.append(
                (
                    "valid_to",
                    _(
                        "The date the person moved out must be the same as or after the date "
                        "they moved in (%(date)s)"
                    )
                    % {"date": locked.valid_from.strftime("%d/%m/%Y")},
                )
            )
    _raise(errors)
    locked.valid_to = valid_to
    locked.save(update_fields=["valid_to", "updated_at"])
    audit.record(
        actor,
        "person.address_end",
        locked,
        changes={"address": str(locked), "valid_to": [None, valid_to]},
        person=person,
    )
    _circumstances_changed(actor, person, "address")
    _refresh(address, locked)
    return locked


ADDRESS_FIELDS = ("line1", "line2", "town", "postcode", "valid_from", "valid_to")


@transaction.atomic
def address_correct(
    *,
    actor,
    address: Address,
    reason: str,
    line1=UNSET,
    line2=UNSET,
    town=UNSET,
    postcode=UNSET,
    valid_from=UNSET,
    valid_to=UNSET,
) -> Address:
    """Correct an address that was recorded wrongly: its lines, town, postcode or dates
    (only the fields given), with the reason.

    Steps: the actor must be able to work on the record; lock the person and the
    address; validate the corrected address as a new one is validated, and a changed end
    date must not be in the future; a correction cannot end the current address (that is
    a move, recorded with address_end, which tells the apps that watch circumstances;
    a correction does not). When the dates change, the record's order of addresses is
    kept: a past address ends before the current one started; a current one starts
    after every other ended, and only if the person has no other current address.
    Nothing changed → ValidationFailed. Audited with before and after
    ("person.address_correct").
    """
    person = address.person
    _ensure_can_work_on(actor, person)
    locked = _lock(Address, address, person)
    before = {f: getattr(locked, f) for f in ADDRESS_FIELDS}
    given = {
        "line1": line1,
        "line2": line2,
        "town": town,
        "postcode": postcode,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }
    merged = {**before, **{k: v for k, v in given.items() if v is not UNSET}}
    values, errors = _address_values(
        line1=merged["line1"] or "",
        line2=merged["line2"] or "",
        town=merged["town"] or "",
        postcode=merged["postcode"] or "",
        valid_from=merged["valid_from"],
    )
    new_to = merged["valid_to"]
    if new_to is not None and new_to != before["valid_to"]:
        if before["valid_to"] is None:
            errors.append(
                (
                    "valid_to",
                    _(
                        "To record that the person has moved out of their current address, "
                        "end the address instead of correcting it"
                    ),
                )
            )
        else:
            _check_date_not_future(
                errors,
                "valid_to",
                new_to,
                _("The date the person left must be today or in the past"),
            )
    if values["valid_from"] is not None and new_to is not None and new_to < values["valid_from"]:
        errors.append(("valid_to", _left_before_started()))
    reason = _reason(errors, reason, _("Enter the reason for the correction"))
    _raise(errors)
    after = {**values, "valid_to": new_to}
    changes = diff(before, after)
    if not changes:
        raise ValidationFailed(
            _("Nothing has changed: correct the details that are wrong, or go back to the record")
        )
    if {"valid_from", "valid_to"} & set(changes):
        _check_address_order(errors, person, locked, after["valid_from"], new_to)
        _raise(errors)
    for f, v in after.items():
        setattr(locked, f, v)
    locked.save(update_fields=[*ADDRESS_FIELDS, "updated_at"])
    audit.record(
        actor, "person.address_correct", locked, changes=changes, reason=reason, person=person
    )
    _refresh(address, locked)
    return locked


def _check_address_order(errors: list, person: Person, address: Address, valid_from, valid_to):
    """The order address_add keeps: every other address ended before the current one
    started, and there is at most one current address."""
    others = person.addresses.exclude(pk=address.pk)
    if valid_to is None:
        if others.filter(valid_to__isnull=True).exists():
            errors.append(
                (
                    "valid_to",
                    _("The person has another current address: give the date they left this one"),
                )
            )
        latest = others.aggregate(latest=Max("valid_to"))["latest"]
        if latest is not None and valid_from <= latest:
            errors.append(
                (
                    "valid_from",
                    _(
                        "A current address must start after the person left their previous "
                        "address (%(date)s)"
                    )
                    % {"date": latest.strftime("%d/%m/%Y")},
                )
            )
    else:
        current = others.filter(valid_to__isnull=True).first()
        if current is not None and valid_to >= current.valid_from:
            errors.append(
                (
                    "valid_to",
                    _("A past address must end before the current address started (%(date)s)")
                    % {"date": current.valid_from.strftime("%d/%m/%Y")},
                )
            )


@transaction.atomic
def child_link_end(*, actor, link: ChildLink, valid_to: dt.date | None, reason: str) -> ChildLink:
    """Record that a child's link to the person ended on `valid_to` (the child left the
    household, or the contact stopped), with the reason. The link stays on the record,
    shown as ended.

    Steps: the actor must be able to work on the record; lock the person and the link;
    the link must not have ended already (Conflict); the date must not be in the future
    nor before the link started. Audited ("person.child_link_end"); the person's
    circumstances have changed (as when a child is linked).
    """
    person = link.person
    _ensure_can_work_on(actor, person)
    locked = _lock(ChildLink, link, person)
    if locked.valid_to is not None:
        raise Conflict(_("This link has already ended."))
    errors: list[tuple[str, str]] = []
    if valid_to is None:
        errors.append(("valid_to", _("Enter the date the link ended")))
    else:
        _check_date_not_future(
            errors, "valid_to", valid_to, _("The date the link ended must be today or in the past")
        )
        if locked.valid_from is not None and valid_to < locked.valid_from:
            errors.append(
                (
                    "valid_to",
                    _(
                        "The date the link ended must be the same as or after the date it "
                        "started (%(date)s)"
                    )
                    % {"date": locked.valid_from.strftime("%d/%m/%Y")},
                )
            )
    reason = _reason(errors, reason, _("Enter the reason the link ended"))
    _raise(errors)
    locked.valid_to = valid_to
    locked.save(update_fields=["valid_to", "updated_at"])
    audit.record(
        actor,
        "person.child_link_end",
        locked,
        changes={"child_name": locked.child_name, "valid_to": [None, valid_to]},
        reason=reason,
        person=person,
    )
    _circumstances_changed(actor, person, "child")
    _refresh(link, locked)
    return locked


def _mark_removed(actor, item, reason: str, *, action: str, missing: str, described: dict):
    """Mark an alias or identifier removed (when, by whom, why); see alias_remove."""
    person = item.person
    _ensure_can_work_on(actor, person)
    locked = _lock(type(item), item, person)
    if locked.removed_at is not None:
        raise Conflict(_("This has already been removed from the record."))
    errors: list[tuple[str, str]] = []
    reason = _reason(errors, reason, missing)
    _raise(errors)
    locked.removed_at = clock.now()
    locked.removed_by = actor
    locked.removal_reason = reason
    locked.save(update_fields=["removed_at", "removed_by", "removal_reason", "updated_at"])
    audit.record(
        actor,
        action,
        locked,
        changes={
            **described,
            "removed_at": [None, locked.removed_at.isoformat()],
            "removed_by": [None, actor.email],
            "removal_reason": ["", reason],
        },
        reason=reason,
        person=person,
    )
    _refresh(item, locked)
    item.removed_by = actor
    return locked


@transaction.atomic
def alias_remove(*, actor, alias: Alias, reason: str) -> Alias:
    """Remove an alias from the person's record (recorded in error, or not a name they
    use), with the reason. The row stays, marked removed: the record shows it only among
    the removed, and searches and the duplicate check no longer use it.

    Steps: the actor must be able to work on the record; lock the person and the alias;
    it must not be removed already (Conflict); a reason is required. Audited
    ("person.alias_remove").
    """
    return _mark_removed(
        actor,
        alias,
        reason,
        action="person.alias_remove",
        missing=_("Enter the reason for removing the alias"),
        described={"alias": str(alias)},
    )


@transaction.atomic
def identifier_remove(*, actor, identifier: OnlineIdentifier, reason: str) -> OnlineIdentifier:
    """Remove an online identifier from the person's record, with the reason. The row
    stays, marked removed (as alias_remove); the duplicate check no longer matches it, and
    the same identifier may be linked again later. Audited ("person.identifier_remove").
    """
    return _mark_removed(
        actor,
        identifier,
        reason,
        action="person.identifier_remove",
        missing=_("Enter the reason for removing the identifier"),
        described={"kind": identifier.kind, "normalised": identifier.normalised},
    )


# ---------------------------------------------------------------------------------------
# Restrictions (need to know)


def _restriction_snapshot(person: Person) -> dict:
    return {
        "is_restricted": person.is_restricted,
        "restricted_to": sorted(person.restricted_to.values_list("email", flat=True)),
        "restriction_reason": person.restriction_reason,
    }


@transaction.atomic
def person_restrict(*, actor, person: Person, users: Sequence, reason: str) -> Person:
    """Restrict the person's record to the named users (need to know), or change who is
    named on an existing restriction.

    Only a supervisor or manager of the owning team may do it (and, on a record already
    restricted, only one named on it). Every named user must be a casework user who
    reaches the owning team; the actor is always named, so they cannot lock themselves out.
    """
    _ensure_supervises(actor, person)
    _ensure_can_work_on(actor, person)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Enter the reason for restricting the record"), field="reason")
    wanted = {u.pk: u for u in users}
    wanted[actor.pk] = actor
    allowed = set(
        selectors.restriction_candidates(person)
        .filter(pk__in=list(wanted))
        .values_list("pk", flat=True)
    )
    refused = [u for pk, u in wanted.items() if pk not in allowed]
    if refused:
        raise ValidationFailed(
            _(
                "%(name)s cannot be named on the restriction: they do not work on this team's records"
            )
            % {"name": refused[0].full_name},
            field="users",
        )
    before = _restriction_snapshot(person)
    newly_restricted = not person.is_restricted
    person.is_restricted = True
    person.restriction_reason = reason
    person.save(update_fields=["is_restricted", "restriction_reason", "updated_at"])
    person.restricted_to.set(list(wanted.values()))
    audit.record(
        actor,
        "person.restrict",
        person,
        changes=diff(before, _restriction_snapshot(person)),
        reason=reason,
        person=person,
    )
    if newly_restricted:
        _open_restriction_review(actor, person)
    return person


def _open_restriction_review(actor, person: Person):
    """A restriction is reviewed by a supervisor every people.restriction_review_days."""
    now = clock.now()
    days = int(policy_value("people.restriction_review_days", at=now))
    return duties.duty_open(
        actor=actor,
        kind=RESTRICTION_REVIEW,
        subject=person,
        person=person,
        team=person.team,
        assignee=actor,
        due_at=now + dt.timedelta(days=days),
    )


@transaction.atomic
def person_restriction_review(*, actor, person: Person, note: str) -> Person:
    """A supervisor named on the restriction confirms it is still needed: the review duty
    is completed and the next one opened. (To lift it, use person_unrestrict.)"""
    _ensure_supervises(actor, person)
    _ensure_can_work_on(actor, person)
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(_("Enter why the restriction is still needed"), field="note")
    if not person.is_restricted:
        raise Conflict(_("This record is not restricted."))
    duties.duty_complete(actor=actor, kind=RESTRICTION_REVIEW, subject=person)
    duty = _open_restriction_review(actor, person)
    audit.record(
        actor,
        "person.restriction_review",
        person,
        reason=note,
        person=person,
        changes={"next_review": duty.due_at.isoformat()},
    )
    return person


@transaction.atomic
def person_unrestrict(*, actor, person: Person, reason: str) -> Person:
    """Lift the restriction: the record is visible again to everyone who reaches its team.
    Supervisors and managers of the owning team only, and only those named on it."""
    _ensure_supervises(actor, person)
    _ensure_can_work_on(actor, person)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Enter the reason for removing the restriction"), field="reason")
    if not person.is_restricted:
        raise Conflict(_("This record is not restricted."))
    before = _restriction_snapshot(person)
    person.is_restricted = False
    person.restriction_reason = ""
    person.save(update_fields=["is_restricted", "restriction_reason", "updated_at"])
    person.restricted_to.clear()
    duties.duty_complete(actor=actor, kind=RESTRICTION_REVIEW, subject=person)
    audit.record(
        actor,
        "person.unrestrict",
        person,
        changes=diff(before, _restriction_snapshot(person)),
        reason=reason,
        person=person,
    )
    return person
