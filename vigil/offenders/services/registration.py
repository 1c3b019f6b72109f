"""Registration (H): putting a nominal on the register and changing their record, and the
duties a change of status opens or closes.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from vigil import audit
from vigil.accounts import access
from vigil.accounts.choices import SUPERVISORY_ROLES, TeamKind
from vigil.accounts.models import User
from vigil.core import clock
from vigil.core.calendar import end_of_day
from vigil.core.exceptions import Conflict, PermissionDenied
from vigil.duties import services as duties
from vigil.duties.models import Duty
from vigil.duties.selectors import assignable_officers
from vigil.offenders import duty_kinds as kinds
from vigil.offenders.choices import (
    ArmsTrigger,
    MappaCategory,
    MappaLevel,
    NominalStatus,
    NotificationStatus,
    ReactiveTrigger,
)
from vigil.offenders.history import PERSON_FIELDS, state_record, state_record_person
from vigil.offenders.models import Nominal
from vigil.offenders.services.common import (
    _close,
    _fail,
    _is_reactive,
    _not_found,
    _open,
    _person_visible,
    _reaches,
    _reactive_trigger,
    _trigger_due,
    require_casework,
)
from vigil.offenders.services.plans import _schedule_visit
from vigil.offenders.services.pnd import _schedule_pnd
from vigil.people import services as people_services


def _check_manager(team, manager, status, errors):
    if status == NominalStatus.ACTIVE and manager is None:
        errors.append(
            ("offender_manager", _("Choose the offender manager: an active nominal needs one"))
        )
    if manager is not None and not assignable_officers(team=team).filter(pk=manager.pk).exists():
        errors.append(
            (
                "offender_manager",
                _("Choose an offender manager who works in %(team)s") % {"team": team.name},
            )
        )


def _check_mappa(category, level, errors):
    if category is not None and category not in MappaCategory.values:
        errors.append(("mappa_category", _("Choose MAPPA category 1, 2 or 3")))
    if level is not None and level not in MappaLevel.values:
        errors.append(("mappa_level", _("Choose MAPPA level 1, 2 or 3")))


@transaction.atomic
def nominal_register(
    *,
    actor,
    person,
    team,
    offender_manager=None,
    status: str = NominalStatus.ACTIVE,
    mappa_category: int | None = MappaCategory.ONE,
    mappa_level: int | None = MappaLevel.ONE,
    financial_details_held: bool = False,
) -> Nominal:
    """Register a person as a nominal managed by a MOSOVO team.

    Steps: the actor does casework for the team and may see the person (else 404); the
    team is a MOSOVO team; the person is not already a nominal; an active nominal has an
    offender manager of the team; write; audit; open the first ARMS duty when active.
    """
    if not access.is_casework_user(actor):
        raise PermissionDenied(_("Only MOSOVO casework roles can register a nominal."))
    if not _reaches(actor, team) or not _person_visible(actor, person):
        raise _not_found()
    errors: list[tuple[str, str]] = []
    if team.kind != TeamKind.MOSOVO:
        errors.append(("team", _("Choose a MOSOVO team to manage the nominal")))
    if status not in NominalStatus.values:
        errors.append(("status", _("Choose a status")))
    _check_manager(team, offender_manager, status, errors)
    _check_mappa(mappa_category, mappa_level, errors)
    _fail(errors)
    if Nominal.objects.filter(person=person).exists():
        raise Conflict(_("This person is already registered as a nominal."))
    nominal = Nominal.objects.create(
        person=person,
        team=team,
        offender_manager=offender_manager,
        status=status,
        mappa_category=mappa_category,
        mappa_level=mappa_level,
        financial_details_held=financial_details_held,
        registered_by=actor,
    )
    state_record(nominal, at=nominal.created_at)
    audit.record(
        actor,
        "nominal.register",
        nominal,
        changes={
            "team": str(team.uuid),
            "offender_manager": offender_manager.email if offender_manager else None,
            "status": status,
            "mappa": [mappa_category, mappa_level],
        },
        person=person,
    )
    if status == NominalStatus.ACTIVE:
        _open(actor, kinds.ARMS, nominal, nominal, _trigger_due(), note=ArmsTrigger.INITIAL)
        _schedule_pnd(actor, nominal)
    return nominal


@transaction.atomic
def nominal_update(
    *,
    actor,
    nominal: Nominal,
    status: str | None = None,
    offender_manager: User | None | str = "unchanged",
    mappa_category: int | None | str = "unchanged",
    mappa_level: int | None | str = "unchanged",
    financial_details_held: bool | None = None,
) -> Nominal:
    """Change a nominal's status, offender manager, MAPPA or financial-details flag.

    Steps: casework access (a new offender manager needs a supervisor of the team, who
    also moves the manager's open duties on this nominal); validate; write; audit; then
    the duties the status implies: leaving "active" closes the ARMS, plan-review and
    visit duties; returning to "active" from custody opens an ARMS (release from
    custody) and the visit duty again; "no longer subject" cancels pending notifications.
    """
    require_casework(actor, nominal)
    locked = Nominal.objects.select_for_update().select_related("person", "team").get(pk=nominal.pk)
    before = {
        "status": locked.status,
        "offender_manager": locked.offender_manager.email if locked.offender_manager else None,
        "mappa": [locked.mappa_category, locked.mappa_level],
        "financial_details_held": locked.financial_details_held,
    }
    new_status = status or locked.status
    new_manager = locked.offender_manager if offender_manager == "unchanged" else offender_manager
    errors: list[tuple[str, str]] = []
    if new_status not in NominalStatus.values:
        errors.append(("status", _("Choose a status")))
    manager_changes = offender_manager != "unchanged" and new_manager != locked.offender_manager
    if manager_changes and not _reaches(actor, locked.team, SUPERVISORY_ROLES):
        raise PermissionDenied(
            _("Only a supervisor or manager of the team can change the offender manager.")
        )
    _check_manager(locked.team, new_manager, new_status, errors)
    category = locked.mappa_category if mappa_category == "unchanged" else mappa_category
    level = locked.mappa_level if mappa_level == "unchanged" else mappa_level
    _check_mappa(category, level, errors)
    _fail(errors)
    old_status, old_manager = locked.status, locked.offender_manager
    locked.status = new_status
    locked.offender_manager = new_manager
    locked.mappa_category, locked.mappa_level = category, level
    if financial_details_held is not None:
        locked.financial_details_held = financial_details_held
    locked.save()
    state_record(locked)
    after = {
        "status": locked.status,
        "offender_manager": new_manager.email if new_manager else None,
        "mappa": [category, level],
        "financial_details_held": locked.financial_details_held,
    }
    audit.record(
        actor,
        "nominal.update",
        locked,
        changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
        person=locked.person,
    )
    if new_manager is not None and old_manager is not None and new_manager.pk != old_manager.pk:
        for duty in Duty.objects.filter(
            person=locked.person,
            assignee=old_manager,
            completed_at__isnull=True,
            kind__startswith="offenders.",
        ):
            duties.duty_reassign(actor=actor, duty=duty, assignee=new_manager)
    if old_status != new_status:
        _status_duties(actor, locked, old_status, new_status)
    nominal.__dict__.update(
        {
            k: getattr(locked, k)
            for k in (
                "status",
                "offender_manager_id",
                "mappa_category",
                "mappa_level",
                "financial_details_held",
            )
        }
    )
    nominal._state.fields_cache.pop("offender_manager", None)
    return locked


def person_details_changed(actor, person, fields: set) -> None:
    """The person's details changed (people's person_update, same transaction): when
    they are a nominal and a kept field changed, their history takes the new values."""
    if fields & set(PERSON_FIELDS):
        state_record_person(person)


# Registered when the services are first imported (the app's ready() imports them).
people_services.on_details_change(person_details_changed)


def _status_duties(actor, nominal, old, new):
    _reactive_trigger(actor, nominal, ReactiveTrigger.STATUS)
    if old == NominalStatus.ACTIVE:
        _close(actor, kinds.ARMS, nominal)
        _close(actor, kinds.VISIT, nominal)
        _close(actor, kinds.PND_CHECK, nominal)
        plan = nominal.plans.order_by("-version").first()
        if plan is not None:
            _close(actor, kinds.PLAN_REVIEW, plan)
    if new == NominalStatus.ACTIVE:
        trigger = ArmsTrigger.RELEASE if old == NominalStatus.CUSTODY else ArmsTrigger.CIRCUMSTANCES
        _open(actor, kinds.ARMS, nominal, nominal, _trigger_due(), note=trigger)
        plan = nominal.plans.order_by("-version").first()
        if plan is not None:
            _open(actor, kinds.PLAN_REVIEW, plan, nominal, end_of_day(plan.review_due))
            _schedule_visit(actor, nominal)
        _schedule_pnd(actor, nominal)
    if old == NominalStatus.NO_LONGER_SUBJECT and _is_reactive(nominal):
        _open(actor, kinds.REACTIVE_REVIEW, nominal, nominal, end_of_day(clock.today()))
    if new == NominalStatus.NO_LONGER_SUBJECT:
        _close(actor, kinds.REACTIVE_REVIEW, nominal)
        _close(actor, kinds.REACTIVE_TRIGGER, nominal)
        for event in nominal.notifications.filter(status=NotificationStatus.PENDING):
            event.status = NotificationStatus.CANCELLED
            event.save(update_fields=["status", "updated_at"])
            _close(actor, kinds.NOTIFICATION, event)
