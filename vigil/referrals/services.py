"""Writes for referrals: every change through here, audited with its duties.

The way of a referral: received (an assessment duty opens) → risk-assessed with the
referral instrument → graded (priority from band and aggravating factors, target action
time from policy) → signed off by a supervisor when the priority was overridden or policy
says every grading needs it → allocated to an officer or any team of the force (the
investigation opens) → actioned (the investigation tells us; the action-target duty
closes). At any point before allocation it may be linked to an earlier referral or closed
with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import CASEWORK_ROLES
from vigil.core import clock
from vigil.core.calendar import add_working_days, end_of_day
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.imports import FileRejected
from vigil.core.policy_registry import policy_value, policy_values
from vigil.duties import services as duties
from vigil.duties.choices import RiskLevel
from vigil.instruments.services import assessment_record, assessment_sign_off, person_in_scope
from vigil.people import normalise
from vigil.people.choices import IdentifierKind
from vigil.people.exceptions import PossibleDuplicate
from vigil.people.models import Person
from vigil.referrals import duty_kinds, policies, selectors
from vigil.referrals.choices import OPEN_STATUSES, ChildStatus, Source, Status, SuspectAge
from vigil.referrals.models import MaterialItem, Referral, ReferralChild, ReferralIdentifier

INSTRUMENT_CODE = "referral-risk"
PRIORITY_LEVELS = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.VERY_HIGH]

# Allocating a referral opens its investigation, which the investigations app owns. That
# app sits above referrals, so it registers the opener from its AppConfig.ready().
_INVESTIGATION_OPENER: list[Callable] = []


def set_investigation_opener(opener: Callable) -> None:
    """Register `opener(*, actor, referral, allocated_team, allocated_officer)`, which
    opens the investigation of an allocated referral, in the same transaction, and
    returns it (called from the investigations app's ready())."""
    _INVESTIGATION_OPENER[:] = [opener]


class PossibleMatches(Conflict):
    """The new referral may be one already held, or concern a known person: the matches
    are shown so that the user can link to one, or confirm it is new."""

    code = "possible_matches"

    def __init__(self, matches: selectors.Matches):
        super().__init__(
            _(
                "Vigil may already hold this referral or its suspect. Link it to one of the "
                "matches, or confirm that it is new."
            )
        )
        self.matches = matches


# --- rules ---------------------------------------------------------------------------------


def is_registered_offender(person: Person | None) -> bool:
    """Whether the person is a registered sex offender.

    For now: their record carries a register (ViSOR) reference. When the offenders app
    arrives this is the one place to change.
    """
    return person is not None and bool(person.register_reference)


def derive_priority(
    band: str, *, child_in_household: bool, position_of_trust: bool, live_or_contact_abuse: bool
) -> str:
    """The priority grade from the risk band and the aggravating factors.

    Each factor present (a child in the household or with access; a position of trust; an
    indication of live or contact abuse) raises the band by one level, up to very high.
    """
    if band not in PRIORITY_LEVELS:
        raise ValidationFailed(_("The referral has no risk band: assess it first."), field="band")
    raised = PRIORITY_LEVELS.index(band) + sum(
        bool(f) for f in (child_in_household, position_of_trust, live_or_contact_abuse)
    )
    return PRIORITY_LEVELS[min(raised, len(PRIORITY_LEVELS) - 1)]


def target_days(priority: str, *, at: dt.datetime) -> int:
    """Days from grading to the action target for `priority`, per the policy in force `at`."""
    return int(policy_value(policies.TARGET_DAYS_KEYS[priority], at=at))


def target_for(priority: str, graded_at: dt.datetime) -> dt.datetime:
    return graded_at + dt.timedelta(days=target_days(priority, at=graded_at))


def _working_days_due(key: str, start: dt.datetime) -> dt.datetime:
    days = int(policy_value(key, at=start))
    return end_of_day(add_working_days(timezone.localdate(start), days))


# --- helpers -------------------------------------------------------------------------------


def _lock(referral: Referral) -> Referral:
    # Lock the row alone (PostgreSQL refuses FOR UPDATE on the nullable side of the joins
    # select_related would add); its team and suspect are read afterwards.
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _require_casework_on(actor, referral: Referral) -> None:
    """The actor must see the referral (its receiving team, in a casework role)."""
    if not selectors.can_see(actor, referral):
        raise NotFound(_("There is no referral with that id, or you do not have access to it."))


def _require_supervisor_of(actor, referral: Referral) -> None:
    _require_casework_on(actor, referral)
    if not selectors.supervises(actor, referral):
        raise PermissionDenied(_("Only a supervisor or manager of the receiving team can do this."))


def _require_status(referral: Referral, statuses, message) -> None:
    if referral.status not in statuses:
        raise Conflict(message, field="status")


def _normalised_identifiers(
    identifiers: Iterable, prefix: str = "identifiers"
) -> tuple[list, list]:
    """[(kind, value, normalised, platform)] and [(field, message)] for each bad one."""
    rows, errors = [], []
    for index, item in enumerate(identifiers):
        if isinstance(item, dict):
            kind, value, platform = (
                item.get("kind", ""),
                item.get("value", ""),
                item.get("platform", ""),
            )
        else:
            kind, value, platform = (list(item) + ["", "", ""])[:3]
        kind = (kind or "").strip()
        if kind not in IdentifierKind.values:
            errors.append(
                (
                    f"{prefix}.{index}.kind",
                    _("Identifier %(n)s: choose username, email, phone, ip or device")
                    % {"n": index + 1},
                )
            )
            continue
        try:
            norm = normalise.identifier(kind, value or "")
        except ValidationFailed as exc:
            errors.append(
                (
                    f"{prefix}.{index}.value",
                    _("Identifier %(n)s: %(problem)s") % {"n": index + 1, "problem": exc.message},
                )
            )
            continue
        if len(value) > 300 or len(platform or "") > 100:
            errors.append(
                (f"{prefix}.{index}.value", _("Identifier %(n)s is too long") % {"n": index + 1})
            )
            continue
        rows.append((kind, normalise.collapse(value), norm, normalise.collapse(platform or "")))
    return rows, errors


def _children(children: Iterable, errors: list) -> list[dict]:
    rows = []
    for index, item in enumerate(children):
        status = (item.get("status") or "").strip()
        description = normalise.collapse(item.get("description") or "")
        age = item.get("approximate_age")
        if status not in ChildStatus.values:
            errors.append(
                (
                    f"children.{index}.status",
                    _("Child %(n)s: choose identified or believed_at_risk") % {"n": index + 1},
                )
            )
        if not description or len(description) > 300:
            errors.append(
                (
                    f"children.{index}.description",
                    _("Child %(n)s: enter a name or description of up to 300 characters")
                    % {"n": index + 1},
                )
            )
        if age not in (None, ""):
            try:
                age = int(age)
                if not 0 <= age <= 17:
                    raise ValueError
            except (TypeError, ValueError):
                errors.append(
                    (
                        f"children.{index}.approximate_age",
                        _("Child %(n)s: the approximate age must be a whole number from 0 to 17")
                        % {"n": index + 1},
                    )
                )
                age = None
        else:
            age = None
        rows.append({"status": status, "description": description, "approximate_age": age})
    return rows


def _material(material: Iterable, errors: list) -> list[dict]:
    rows = []
    for index, item in enumerate(material):
        description = normalise.collapse(item.get("description") or "")
        count = item.get("item_count", 1)
        if not description or len(description) > 300:
            errors.append(
                (
                    f"material.{index}.description",
                    _("Material %(n)s: describe it in up to 300 characters (never attach it)")
                    % {"n": index + 1},
                )
            )
        try:
            count = int(count if count not in (None, "") else 1)
            if count < 1:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(
                (
                    f"material.{index}.item_count",
                    _("Material %(n)s: the number of items must be a whole number of 1 or more")
                    % {"n": index + 1},
                )
            )
            count = 1
        category = normalise.collapse(item.get("category") or "")[:40]
        held_at = normalise.collapse(item.get("held_at") or "")[:200]
        rows.append(
            {
                "description": description,
                "item_count": count,
                "category": category,
                "held_at": held_at,
            }
        )
    return rows


@dataclass
class CleanReceipt:
    """A referral's details, validated and normalised, ready to write."""

    source: str
    source_reference: str
    received_at: dt.datetime
    summary: str
    suspect_age: str
    identifiers: list
    children: list
    material: list


def clean_receipt(
    *,
    source: str,
    source_reference: str = "",
    received_at: dt.datetime | None = None,
    summary: str = "",
    suspect_age: str = SuspectAge.UNKNOWN,
    identifiers: Iterable = (),
    children: Iterable = (),
    material: Iterable = (),
) -> CleanReceipt:
    """Validate and normalise a referral's details; ValidationFailed lists every problem."""
    errors: list[tuple[str, str]] = []
    now = clock.now()
    if source not in Source.values:
        errors.append(("source", _("Choose where the referral came from")))
    reference = normalise.collapse(source_reference)
    if source == Source.NCA_CEOP:
        # NCA references are identifiers: kept in capitals so that a lookup is exact.
        reference = reference.upper()
    if source == Source.NCA_CEOP and not reference:
        errors.append(("source_reference", _("Enter the NCA reference of the package")))
    if len(reference) > 80:
        errors.append(
            ("source_reference", _("The source reference must be 80 characters or fewer"))
        )
    if received_at is None:
        received_at = now
    elif timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    if received_at > now + dt.timedelta(minutes=5):
        errors.append(("received_at", _("The date received must be today or in the past")))
    summary = (summary or "").strip()
    if not summary:
        errors.append(("summary", _("Enter a summary of the referral")))
    if suspect_age not in SuspectAge.values:
        errors.append(("suspect_age", _("Choose whether the suspect is an adult or a child")))
    idents, ident_errors = _normalised_identifiers(identifiers)
    errors += ident_errors
    child_rows = _children(children, errors)
    material_rows = _material(material, errors)
    if errors:
        raise ValidationFailed(errors[0][1], field=errors[0][0], errors=errors)
    return CleanReceipt(
        source=source,
        source_reference=reference,
        received_at=received_at,
        summary=summary,
        suspect_age=suspect_age,
        identifiers=idents,
        children=child_rows,
        material=material_rows,
    )


def _nca_reference_taken(force_id: int, reference: str, exclude_pk=None) -> Referral | None:
    qs = Referral.objects.filter(
        force_id=force_id, source=Source.NCA_CEOP, source_reference=reference.upper()
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _root(referral: Referral) -> Referral:
    return (
        referral.linked_to if referral.status == Status.LINKED and referral.linked_to else referral
    )


def _flag_if_offender(actor, referral: Referral) -> None:
    """Flag a suspect on the register and open the offender manager's duty."""
    person = referral.suspect
    if not is_registered_offender(person) or referral.suspect_is_rso:
        return
    referral.suspect_is_rso = True
    referral.save(update_fields=["suspect_is_rso", "updated_at"])
    now = clock.now()
    duties.duty_open(
        actor=actor,
        kind=duty_kinds.RSO_NOTICE,
        subject=referral,
        team=person.team,
        person=person,
        due_at=_working_days_due(policies.RSO_NOTICE_WORKING_DAYS, now),
        risk_level=RiskLevel.HIGH,
        note=_("Received %(date)s by %(team)s")
        % {
            "date": timezone.localdate(referral.received_at).isoformat(),
            "team": referral.team.name,
        },
    )
    audit.record(
        actor,
        "referral.rso_flag",
        referral,
        person=person,
        changes={
            "register_reference": person.register_reference,
            "managing_team": person.team.name,
        },
    )


def _close_open_duties(actor, referral: Referral, kinds) -> None:
    for kind in kinds:
        duties.duty_complete(actor=actor, kind=kind, subject=referral)


# --- intake --------------------------------------------------------------------------------


@transaction.atomic
def referral_receive(
    *,
    actor,
    team,
    source: str,
    summary: str,
    source_reference: str = "",
    received_at: dt.datetime | None = None,
    suspect_age: str = SuspectAge.UNKNOWN,
    suspect: Person | None = None,
    new_suspect: dict | None = None,
    identifiers: Iterable = (),
    children: Iterable = (),
    material: Iterable = (),
    link_to: Referral | None = None,
    confirm_not_duplicate: bool = False,
    import_batch=None,
    import_line: int | None = None,
) -> Referral:
    """Record a referral received by `team` (a POLIT team the actor works in).

    Steps: check the actor may record referrals for the team; validate every field (the
    errors all at once); refuse an NCA reference the force already holds; check a named
    suspect is one the actor may name; unless linking or confirmed new, look for matches
    (earlier referrals by source reference, online identifier or suspect; people by
    identifier, PNC ID or name and date of birth) and raise PossibleMatches; create the
    suspect through the people app's duplicate check when `new_suspect` is given; write the
    referral with its identifiers, children and material metadata; audit; then either link
    it (status linked, no duties) or open the assessment duty; flag a suspect on the
    register and open a duty for their managing team.
    """
    if not selectors.reaches_team(actor, team):
        raise PermissionDenied(
            _("You can only record referrals for a POLIT team you work in."), field="team"
        )
    clean = clean_receipt(
        source=source,
        source_reference=source_reference,
        received_at=received_at,
        summary=summary,
        suspect_age=suspect_age,
        identifiers=identifiers,
        children=children,
        material=material,
    )
    if clean.source == Source.NCA_CEOP:
        taken = _nca_reference_taken(team.force_id, clean.source_reference)
        if taken is not None:
            raise Conflict(
                _(
                    "A referral with NCA reference %(reference)s is already held "
                    "(received %(date)s). Open that referral instead of recording it again."
                )
                % {
                    "reference": clean.source_reference,
                    "date": timezone.localdate(taken.received_at).isoformat(),
                },
                field="source_reference",
            )
    if (
        suspect is not None
        and not selectors.suspect_candidates(actor, team.force).filter(pk=suspect.pk).exists()
    ):
        raise ValidationFailed(
            _("Choose a suspect from the people your force holds"), field="suspect"
        )
    if suspect is not None and new_suspect:
        raise ValidationFailed(
            _("Either choose a known person as the suspect or give a new one, not both"),
            field="suspect",
        )
    if link_to is not None:
        if (
            link_to.team.force_id != team.force_id
            or not selectors.referral_scope(actor).filter(pk=link_to.pk).exists()
        ):
            raise NotFound(_("There is no referral with that id, or you do not have access to it."))
        link_to = _root(link_to)
    elif not confirm_not_duplicate:
        details = new_suspect or {}
        matches = selectors.find_matches(
            user=actor,
            force=team.force,
            source_reference=clean.source_reference,
            identifiers=[(k, n) for k, _v, n, _p in clean.identifiers],
            suspect=suspect,
            given_name=details.get("given_name", ""),
            family_name=details.get("family_name", ""),
            date_of_birth=details.get("date_of_birth"),
            pnc_id=details.get("pnc_id", ""),
        )
        if matches:
            raise PossibleMatches(matches)
    if new_suspect:
        from vigil.people import services as people

        try:
            suspect = people.person_create(
                actor=actor,
                team=team,
                confirm_not_duplicate=confirm_not_duplicate or link_to is not None,
                **new_suspect,
            )
        except PossibleDuplicate as exc:
            raise PossibleMatches(
                selectors.Matches(
                    referrals=[],
                    people=[selectors.PersonMatch(m.person, m.reasons) for m in exc.matches],
                    hidden_count=exc.hidden_count,
                )
            ) from None
        except ValidationFailed as exc:
            raise ValidationFailed(
                exc.message,
                errors=[(f"new_suspect.{f}" if f else "new_suspect", m) for f, m in exc.errors],
            ) from None

    referral = Referral(
        force_id=team.force_id,
        team=team,
        source=clean.source,
        source_reference=clean.source_reference,
        received_at=clean.received_at,
        summary=clean.summary,
        suspect=suspect,
        suspect_age=clean.suspect_age,
        received_by=actor,
        status=Status.LINKED if link_to is not None else Status.AWAITING_ASSESSMENT,
        linked_to=link_to,
        linked_at=clock.now() if link_to is not None else None,
        import_batch=import_batch,
        import_line=import_line,
    )
    try:
        with transaction.atomic():
            referral.save(force_insert=True)
    except IntegrityError:
        raise Conflict(
            _("A referral with NCA reference %(reference)s is already held.")
            % {"reference": clean.source_reference},
            field="source_reference",
        ) from None
    ReferralIdentifier.objects.bulk_create(
        ReferralIdentifier(referral=referral, kind=k, value=v, normalised=n, platform=p)
        for k, v, n, p in clean.identifiers
    )
    ReferralChild.objects.bulk_create(ReferralChild(referral=referral, **c) for c in clean.children)
    MaterialItem.objects.bulk_create(MaterialItem(referral=referral, **m) for m in clean.material)
    audit.record(
        actor,
        "referral.receive",
        referral,
        person=suspect,
        changes={
            "source": clean.source,
            "source_reference": clean.source_reference,
            "received_at": clean.received_at.isoformat(),
            "team": team.name,
            "suspect": str(suspect.uuid) if suspect else None,
            "identifiers": [f"{k}:{n}" for k, _v, n, _p in clean.identifiers],
            "children": len(clean.children),
            "material_items": len(clean.material),
            "linked_to": str(link_to.uuid) if link_to else None,
            "import_line": import_line,
        },
        reason=_("Recorded as new after checking the possible matches.")
        if confirm_not_duplicate and link_to is None
        else "",
    )
    if link_to is None:
        duties.duty_open(
            actor=actor,
            kind=duty_kinds.ASSESSMENT,
            subject=referral,
            team=team,
            person=suspect,
            due_at=_working_days_due(policies.ASSESSMENT_WORKING_DAYS, clean.received_at),
            risk_level=RiskLevel.MEDIUM,
        )
    _flag_if_offender(actor, referral)
    return referral


@transaction.atomic
def referral_link(*, actor, referral: Referral, to: Referral, reason: str = "") -> Referral:
    """Link a referral not yet allocated to an earlier one it duplicates (status linked);
    its open duties close."""
    referral = _lock(referral)
    _require_casework_on(actor, referral)
    _require_casework_on(actor, to)
    _require_status(
        referral,
        OPEN_STATUSES,
        _("Only a referral that has not been allocated, linked or closed can be linked."),
    )
    target = _root(to)
    if target.pk == referral.pk or target.force_id != referral.force_id:
        raise ValidationFailed(_("Choose another referral to link this one to"), field="to")
    before = referral.status
    referral.status = Status.LINKED
    referral.linked_to = target
    referral.linked_at = clock.now()
    referral.save(update_fields=["status", "linked_to", "linked_at", "updated_at"])
    _close_open_duties(
        actor, referral, [duty_kinds.ASSESSMENT, duty_kinds.SIGN_OFF, duty_kinds.ACTION_TARGET]
    )
    audit.record(
        actor,
        "referral.link",
        referral,
        person=referral.suspect,
        changes={"status": [before, referral.status], "linked_to": str(target.uuid)},
        reason=(reason or "").strip(),
    )
    return referral


@transaction.atomic
def referral_suspect_set(*, actor, referral: Referral, person: Person) -> Referral:
    """Name a known person as the referral's suspect (before allocation)."""
    referral = _lock(referral)
    _require_casework_on(actor, referral)
    _require_status(
        referral, OPEN_STATUSES, _("The suspect can only be changed before allocation.")
    )
    if not selectors.suspect_candidates(actor, referral.team.force).filter(pk=person.pk).exists():
        raise ValidationFailed(
            _("Choose a suspect from the people your force holds"), field="person"
        )
    before = referral.suspect
    referral.suspect = person
    referral.save(update_fields=["suspect", "updated_at"])
    audit.record(
        actor,
        "referral.suspect_set",
        referral,
        person=person,
        changes={"suspect": [str(before.uuid) if before else None, str(person.uuid)]},
    )
    _flag_if_offender(actor, referral)
    return referral


@transaction.atomic
def referral_rso_acknowledge(*, actor, referral: Referral) -> Referral:
    """The offender's managing team acknowledges a referral about their offender."""
    referral = _lock(referral)
    person = referral.suspect
    if not referral.suspect_is_rso or person is None:
        raise NotFound(_("There is no referral with that id, or you do not have access to it."))
    team_ids, force_ids = access.team_scope(actor, CASEWORK_ROLES)
    if not (person.team_id in team_ids or person.force_id in force_ids):
        raise NotFound(_("There is no referral with that id, or you do not have access to it."))
    if referral.rso_notice_acknowledged_at is not None:
        raise Conflict(_("This notice has already been acknowledged."))
    referral.rso_notice_acknowledged_at = clock.now()
    referral.rso_notice_acknowledged_by = actor
    referral.save(
        update_fields=["rso_notice_acknowledged_at", "rso_notice_acknowledged_by", "updated_at"]
    )
    duties.duty_complete(actor=actor, kind=duty_kinds.RSO_NOTICE, subject=referral)
    audit.record(actor, "referral.rso_acknowledge", referral, person=person)
    return referral


# --- assessment and grading ---------------------------------------------------------------


@transaction.atomic
def referral_assess(
    *,
    actor,
    referral: Referral,
    answers: dict,
    override_band: str | None = None,
    override_rationale: str = "",
) -> Referral:
    """Risk-assess the referral with the referral instrument; its final band becomes the
    referral's risk band and the referral awaits grading. An assessment before grading may
    be made again (the latest counts)."""
    referral = _lock(referral)
    _require_casework_on(actor, referral)
    _require_status(
        referral,
        [Status.AWAITING_ASSESSMENT, Status.AWAITING_GRADING],
        _("This referral has already been graded, so it cannot be assessed again here."),
    )
    person = referral.suspect
    # The suspect may be owned by another team (an offender managed by MOSOVO): the
    # assessment is then kept on the referral only.
    if person is not None and not person_in_scope(actor, person, CASEWORK_ROLES):
        person = None
    assessment = assessment_record(
        actor=actor,
        code=INSTRUMENT_CODE,
        subject=referral,
        person=person,
        answers=answers,
        override_band=override_band or None,
        override_rationale=override_rationale,
    )
    before = referral.status
    referral.assessment = assessment
    referral.risk_band = assessment.final_band
    referral.status = Status.AWAITING_GRADING
    referral.save(update_fields=["assessment", "risk_band", "status", "updated_at"])
    audit.record(
        actor,
        "referral.assess",
        referral,
        person=referral.suspect,
        changes={
            "status": [before, referral.status],
            "risk_band": assessment.final_band,
            "assessment": str(assessment.uuid),
        },
    )
    return referral


@transaction.atomic
def referral_grade(
    *,
    actor,
    referral: Referral,
    child_in_household: bool = False,
    position_of_trust: bool = False,
    live_or_contact_abuse: bool = False,
    override_priority: str = "",
    override_rationale: str = "",
) -> Referral:
    """Set the referral's priority and its target action time.

    Steps: the referral must be assessed and not yet finally graded; the priority is
    derived from the band and the aggravating factors; an override (a different priority)
    needs a rationale and a supervisor's sign-off; policy may make every grading need
    sign-off; the target is the grading time plus the days the policy in force gives the
    priority; the assessment duty closes and either the sign-off duty or the action-target
    duty opens. Grading again while sign-off is awaited replaces the grading.
    """
    referral = _lock(referral)
    _require_casework_on(actor, referral)
    _require_status(
        referral,
        [Status.AWAITING_GRADING, Status.AWAITING_SIGN_OFF],
        _("Only an assessed referral whose grading is not yet final can be graded."),
    )
    derived = derive_priority(
        referral.risk_band,
        child_in_household=child_in_household,
        position_of_trust=position_of_trust,
        live_or_contact_abuse=live_or_contact_abuse,
    )
    override_priority = (override_priority or "").strip()
    rationale = (override_rationale or "").strip()
    if override_priority and override_priority not in RiskLevel.values:
        raise ValidationFailed(
            _("Choose very high, high, medium or low as the priority"), field="override_priority"
        )
    if override_priority == derived:
        override_priority = ""
    if override_priority and not rationale:
        raise ValidationFailed(
            _("Give the reason for overriding the priority worked out from the rules"),
            field="override_rationale",
        )
    if not override_priority:
        rationale = ""
    now = clock.now()
    priority = override_priority or derived
    needs_sign_off = bool(override_priority) or bool(
        policy_value(policies.GRADING_REQUIRES_SIGN_OFF, at=now)
    )
    before = {"status": referral.status, "priority": referral.priority}
    referral.child_in_household = bool(child_in_household)
    referral.position_of_trust = bool(position_of_trust)
    referral.live_or_contact_abuse = bool(live_or_contact_abuse)
    referral.derived_priority = derived
    referral.priority = priority
    referral.priority_override_rationale = rationale
    referral.graded_by = actor
    referral.graded_at = now
    referral.grading_needs_sign_off = needs_sign_off
    referral.grading_signed_off_by = None
    referral.grading_signed_off_at = None
    referral.target_at = target_for(priority, now)
    referral.status = Status.AWAITING_SIGN_OFF if needs_sign_off else Status.AWAITING_ALLOCATION
    referral.save(
        update_fields=[
            "child_in_household",
            "position_of_trust",
            "live_or_contact_abuse",
            "derived_priority",
            "priority",
            "priority_override_rationale",
            "graded_by",
            "graded_at",
            "grading_needs_sign_off",
            "grading_signed_off_by",
            "grading_signed_off_at",
            "target_at",
            "status",
            "updated_at",
        ]
    )
    duties.duty_complete(actor=actor, kind=duty_kinds.ASSESSMENT, subject=referral)
    if needs_sign_off:
        duties.duty_open(
            actor=actor,
            kind=duty_kinds.SIGN_OFF,
            subject=referral,
            team=referral.team,
            person=referral.suspect,
            due_at=min(_working_days_due(policies.SIGN_OFF_WORKING_DAYS, now), referral.target_at),
            risk_level=priority,
        )
    else:
        _open_target_duty(actor, referral)
    audit.record(
        actor,
        "referral.grade",
        referral,
        person=referral.suspect,
        changes={
            "status": [before["status"], referral.status],
            "priority": [before["priority"] or None, priority],
            "derived_priority": derived,
            "risk_band": referral.risk_band,
            "child_in_household": referral.child_in_household,
            "position_of_trust": referral.position_of_trust,
            "live_or_contact_abuse": referral.live_or_contact_abuse,
            "target_at": referral.target_at.isoformat(),
            "target_days": target_days(priority, at=now),
            "needs_sign_off": needs_sign_off,
        },
        reason=rationale,
    )
    return referral


def _open_target_duty(actor, referral: Referral) -> None:
    duties.duty_open(
        actor=actor,
        kind=duty_kinds.ACTION_TARGET,
        subject=referral,
        team=referral.team,
        person=referral.suspect,
        due_at=referral.target_at,
        risk_level=referral.priority,
        assignee=referral.allocated_officer,
    )


@transaction.atomic
def referral_sign_off(*, actor, referral: Referral) -> Referral:
    """A supervisor or manager of the receiving team, not the grader, signs off the
    grading; the referral then awaits allocation and the action-target duty opens (due at
    the target set at grading). The instrument's own sign-off of the assessment is given
    at the same time when the signer did not make the assessment."""
    referral = _lock(referral)
    _require_supervisor_of(actor, referral)
    _require_status(
        referral, [Status.AWAITING_SIGN_OFF], _("This referral's grading is not awaiting sign-off.")
    )
    if referral.graded_by_id == actor.pk:
        raise PermissionDenied(
            _("You graded this referral, so another supervisor or manager must sign it off.")
        )
    now = clock.now()
    referral.grading_signed_off_by = actor
    referral.grading_signed_off_at = now
    referral.status = Status.AWAITING_ALLOCATION
    referral.save(
        update_fields=["grading_signed_off_by", "grading_signed_off_at", "status", "updated_at"]
    )
    duties.duty_complete(actor=actor, kind=duty_kinds.SIGN_OFF, subject=referral)
    _open_target_duty(actor, referral)
    assessment = referral.assessment
    if (
        assessment is not None
        and assessment.awaiting_signoff
        and assessment.assessor_id != actor.pk
        and (assessment.person is None or selectors.supervises(actor, referral))
    ):
        try:
            with transaction.atomic():
                assessment_sign_off(actor=actor, assessment=assessment)
        except (PermissionDenied, NotFound, Conflict):
            pass  # the instrument's sign-off stays with its own page
    audit.record(
        actor,
        "referral.sign_off",
        referral,
        person=referral.suspect,
        changes={
            "status": [Status.AWAITING_SIGN_OFF, Status.AWAITING_ALLOCATION],
            "priority": referral.priority,
            "graded_by": referral.graded_by.email if referral.graded_by else None,
        },
    )
    return referral


# --- allocation, closure, action -----------------------------------------------------------


@transaction.atomic
def referral_allocate(*, actor, referral: Referral, team, officer=None) -> Referral:
    """Allocate a graded referral to a team of the force (POLIT or any other unit) and,
    optionally, an officer of that team; the investigation opens, owned by the receiving
    team."""
    referral = _lock(referral)
    _require_supervisor_of(actor, referral)
    _require_status(
        referral,
        [Status.AWAITING_ALLOCATION],
        _("Only a referral whose grading is final and not yet allocated can be allocated."),
    )
    errors = []
    if referral.suspect is None:
        errors.append(("suspect", _("Name the suspect before allocating the referral")))
    if team is None or team.force_id != referral.force_id:
        errors.append(("team", _("Choose a team of your force")))
    elif officer is not None and not selectors.officer_in_team(officer, team):
        errors.append(("officer", _("Choose an officer who works in the team you chose")))
    if errors:
        raise ValidationFailed(errors[0][1], field=errors[0][0], errors=errors)
    now = clock.now()
    referral.allocated_team = team
    referral.allocated_officer = officer
    referral.allocated_at = now
    referral.status = Status.ALLOCATED
    referral.save(
        update_fields=[
            "allocated_team",
            "allocated_officer",
            "allocated_at",
            "status",
            "updated_at",
        ]
    )
    if not _INVESTIGATION_OPENER:
        raise ImproperlyConfigured("No app opens investigations: install vigil.investigations.")
    investigation = _INVESTIGATION_OPENER[0](
        actor=actor, referral=referral, allocated_team=team, allocated_officer=officer
    )
    audit.record(
        actor,
        "referral.allocate",
        referral,
        person=referral.suspect,
        changes={
            "status": [Status.AWAITING_ALLOCATION, Status.ALLOCATED],
            "team": team.name,
            "officer": officer.email if officer else None,
            "outside_receiving_team": team.pk != referral.team_id,
            "investigation": str(investigation.uuid),
        },
    )
    return referral


@transaction.atomic
def referral_close(*, actor, referral: Referral, reason: str) -> Referral:
    """Close a referral before allocation, with a reason; its open duties close."""
    referral = _lock(referral)
    _require_casework_on(actor, referral)
    _require_status(
        referral,
        OPEN_STATUSES,
        _("Only a referral that has not been allocated, linked or closed can be closed."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Enter the reason for closing the referral"), field="reason")
    before = referral.status
    referral.status = Status.CLOSED
    referral.closed_at = clock.now()
    referral.closure_reason = reason
    referral.save(update_fields=["status", "closed_at", "closure_reason", "updated_at"])
    _close_open_duties(
        actor, referral, [duty_kinds.ASSESSMENT, duty_kinds.SIGN_OFF, duty_kinds.ACTION_TARGET]
    )
    audit.record(
        actor,
        "referral.close",
        referral,
        person=referral.suspect,
        changes={"status": [before, Status.CLOSED]},
        reason=reason,
    )
    return referral


@transaction.atomic
def referral_mark_actioned(*, actor, referral: Referral, at=None, note: str = "") -> Referral:
    """Record the referral's first action (point A: actioned within the priority's target).

    Called by the investigation when its first action or enforcement decision is recorded.
    Only the first action counts: later calls change nothing. The action-target duty
    closes.
    """
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.actioned_at is not None:
        return referral
    referral.actioned_at = at or clock.now()
    referral.save(update_fields=["actioned_at", "updated_at"])
    duties.duty_complete(actor=actor, kind=duty_kinds.ACTION_TARGET, subject=referral)
    audit.record(
        actor,
        "referral.actioned",
        referral,
        person=referral.suspect,
        changes={"actioned_at": referral.actioned_at.isoformat(), "note": note},
    )
    return referral


def target_policy_table(at: dt.datetime | None = None) -> list[dict]:
    """The target days per priority in force `at` (for the page that documents the rule)."""
    values = policy_values(list(policies.TARGET_DAYS_KEYS.values()), at=at)
    return [
        {"priority": RiskLevel(p), "days": values[key]}
        for p, key in policies.TARGET_DAYS_KEYS.items()
    ]


# --- bulk intake ---------------------------------------------------------------------------


# The file has bad rows: nothing was written (the error every bulk import shares).
ImportRejected = FileRejected


@dataclass
class ImportResult:
    batch: object
    rows: int
    created: int
    skipped: int
    already_imported: bool = False


def _import_suspect(actor, force, details: dict | None):
    """(existing person, None) when the details name one person the force holds — by PNC
    ID, else by exactly one name and date of birth — otherwise (None, details) so that a
    new record is made (the people app records the possible duplicates it was checked
    against)."""
    if not details:
        return None, None
    candidates = selectors.suspect_candidates(actor, force)
    if details.get("pnc_id"):
        person = candidates.filter(pnc_id=details["pnc_id"]).first()
        if person is not None:
            return person, None
    if details.get("date_of_birth"):
        same = list(
            candidates.filter(
                search_name=normalise.search_name(details["given_name"], details["family_name"]),
                date_of_birth=details["date_of_birth"],
            )[:2]
        )
        if len(same) == 1:
            return same[0], None
    return None, details


@transaction.atomic
def referrals_import(*, actor, team, filename: str, content: bytes) -> ImportResult:
    """Import a bulk referral file (CSV or JSON) for `team`.

    Steps: supervisors and managers of the POLIT team only; a file whose SHA-256 was
    imported before creates nothing (and says so); every row is validated first and any
    problem rejects the whole file, listing each bad row's line and reason; rows whose NCA
    reference the force already holds are skipped and counted; the rest are received one
    by one through `referral_receive` (suspects matched or created, duties opened), all in
    this one transaction; the batch is recorded with its hash and audited.
    """
    import hashlib

    from vigil.referrals import importing
    from vigil.referrals.models import ImportBatch

    if not selectors.import_teams(actor).filter(pk=team.pk).exists():
        raise PermissionDenied(
            _("Only a supervisor or manager of a POLIT team can import referrals for it."),
            field="team",
        )
    digest = hashlib.sha256(content).hexdigest()
    earlier = ImportBatch.objects.filter(file_hash=digest).first()
    if earlier is not None:
        return ImportResult(
            batch=earlier, rows=earlier.rows, created=0, skipped=earlier.rows, already_imported=True
        )
    parsed = importing.parse(content, filename)
    if parsed.problems:
        raise ImportRejected(parsed.problems)
    held = {
        ref.upper()
        for ref in Referral.objects.filter(
            force_id=team.force_id,
            source=Source.NCA_CEOP,
            source_reference__in=[
                r.values["source_reference"]
                for r in parsed.rows
                if r.values["source"] == Source.NCA_CEOP
            ],
        ).values_list("source_reference", flat=True)
    }
    batch = ImportBatch.objects.create(
        file_hash=digest,
        filename=(filename or "upload")[:255],
        file_format=parsed.file_format,
        rows=len(parsed.rows),
        created_count=0,
        skipped_count=0,
        imported_by=actor,
        team=team,
    )
    created = skipped = 0
    for row in parsed.rows:
        values = row.values
        if values["source"] == Source.NCA_CEOP and values["source_reference"].upper() in held:
            skipped += 1
            continue
        suspect, new_suspect = _import_suspect(actor, team.force, row.suspect)
        referral_receive(
            actor=actor,
            team=team,
            suspect=suspect,
            new_suspect=new_suspect,
            confirm_not_duplicate=True,
            import_batch=batch,
            import_line=row.line,
            **values,
        )
        created += 1
    batch.created_count = created
    batch.skipped_count = skipped
    batch.save(update_fields=["created_count", "skipped_count", "updated_at"])
    audit.record(
        actor,
        "referral.import",
        batch,
        changes={
            "file": batch.filename,
            "sha256": digest,
            "format": parsed.file_format,
            "rows": len(parsed.rows),
            "created": created,
            "skipped_already_held": skipped,
            "team": team.name,
        },
    )
    return ImportResult(batch=batch, rows=len(parsed.rows), created=created, skipped=skipped)
