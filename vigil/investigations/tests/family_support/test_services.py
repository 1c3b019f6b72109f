"""Support for the suspect's family (point G): the welfare prompt at enforcement, the offer
of support due after the first enforcement, the metric, and the directory."""

import datetime as dt

import pytest
import time_machine

from vigil.accounts.choices import Role
from vigil.accounts.models import Membership
from vigil.audit.models import AuditEvent
from vigil.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from vigil.core.services import policy_override_create
from vigil.core.testing import make_user
from vigil.duties.models import Duty
from vigil.investigations import duty_kinds as kinds
from vigil.investigations import selectors, services
from vigil.investigations.choices import DecisionKind, State
from vigil.investigations.models import EnforcementDecision, SupportOrganisation
from vigil.investigations.tests.helpers import make_investigation, reassess, to_post_arrest

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def _arrested(team, officer, at=T0):
    with time_machine.travel(at, tick=False):
        investigation = make_investigation(team, officer=officer)
        return to_post_arrest(investigation, officer)


def _offer(investigation, officer, **kwargs):
    return services.family_support_record(
        actor=officer,
        investigation=investigation,
        status=kwargs.pop("status", "offered"),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("assessment", "measures", "field"),
    [("", "", "welfare_assessment"), ("risk_identified", "", "welfare_measures")],
)
def test_enforcement_records_the_welfare_prompt(team, officer, assessment, measures, field):
    investigation = make_investigation(team, officer=officer)
    reassess(investigation, officer)
    with pytest.raises(ValidationFailed) as exc:
        services.enforcement_decision_record(
            actor=officer,
            investigation=investigation,
            kind=DecisionKind.ARREST,
            rationale="r",
            welfare_assessment=assessment,
            welfare_measures=measures,
        )
    assert field in [f for f, _ in exc.value.errors]
    assert not EnforcementDecision.objects.exists()
    decision = services.enforcement_decision_record(
        actor=officer,
        investigation=investigation,
        kind=DecisionKind.ARREST,
        rationale="r",
        welfare_assessment="risk_identified",
        welfare_measures="Custody nurse told; mental health referral.",
    )
    assert decision.welfare_assessment == "risk_identified"
    assert decision.welfare_measures.startswith("Custody nurse")


def test_the_first_enforcement_makes_the_offer_due(team, officer):
    investigation = _arrested(team, officer)
    investigation.refresh_from_db()
    assert investigation.first_enforcement_at == T0
    assert investigation.family_support_due_on == dt.date(2026, 3, 4)
    duty = Duty.objects.get(kind=kinds.FAMILY_SUPPORT, completed_at=None)
    assert duty.subject_id == investigation.uuid
    assert duty.due_at.date() == dt.date(2026, 3, 4)


def test_recording_the_offer_completes_the_duty(team, officer):
    investigation = _arrested(team, officer)
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        offer = _offer(investigation, officer, leaflet_language="cy")
    assert offer.offered_on == dt.date(2026, 3, 3) and offer.officer == officer
    assert not Duty.objects.filter(kind=kinds.FAMILY_SUPPORT, completed_at=None).exists()
    event = AuditEvent.objects.get(action="family_support.record")
    assert event.changes["due_on"] == "2026-03-04"
    with pytest.raises(Conflict):
        _offer(investigation, officer)


def test_not_applicable_needs_a_reason_and_dates_are_checked(team, officer):
    investigation = _arrested(team, officer)
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        with pytest.raises(ValidationFailed) as exc:
            _offer(investigation, officer, status="not_applicable")
        assert exc.value.errors[0][0] == "reason"
        with pytest.raises(ValidationFailed) as exc:
            _offer(investigation, officer, offered_on=dt.date(2026, 3, 4))
        assert exc.value.errors[0][0] == "offered_on"
        offer = _offer(investigation, officer, status="not_applicable", reason="Lives alone")
    assert offer.status == "not_applicable"


def test_an_update_keeps_the_date_of_the_offer(team, officer, sergeant):
    investigation = _arrested(team, officer)
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        offer = _offer(investigation, officer)
    with time_machine.travel(T0 + dt.timedelta(days=9), tick=False):
        services.family_support_update(actor=sergeant, offer=offer, status="accepted")
    offer.refresh_from_db()
    assert offer.status == "accepted" and offer.offered_on == dt.date(2026, 3, 3)
    assert AuditEvent.objects.get(action="family_support.update").changes["status"] == [
        "offered",
        "accepted",
    ]


def test_closing_the_investigation_stops_the_duty(team, officer):
    investigation = _arrested(team, officer)
    services.enforcement_decision_record(
        actor=officer, investigation=investigation, kind=DecisionKind.NFA, rationale="r"
    )
    services.investigation_transition(
        actor=officer, investigation=investigation, to_state=State.CLOSED
    )
    assert not Duty.objects.filter(kind=kinds.FAMILY_SUPPORT, completed_at=None).exists()


def test_the_metric_counts_offers_by_their_due_date(team, officer):
    on_due_date = _arrested(team, officer)
    late = _arrested(team, officer)
    missing = _arrested(team, officer)
    _arrested(team, officer, at=T0 + dt.timedelta(days=10))  # not yet due at the as_of dates
    with time_machine.travel(dt.datetime(2026, 3, 4, 22, 0, tzinfo=dt.UTC), tick=False):
        _offer(on_due_date, officer)
    with time_machine.travel(dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC), tick=False):
        _offer(late, officer)
    assert missing.family_support_due_on == dt.date(2026, 3, 4)
    # On the due date nothing is counted yet: the window is still open.
    assert (
        selectors.family_support_metric(as_of=dt.datetime(2026, 3, 4, 12, tzinfo=dt.UTC))["due"]
        == 0
    )
    metric = selectors.family_support_metric(as_of=dt.datetime(2026, 3, 6, tzinfo=dt.UTC))
    assert metric == {"due": 3, "offered_in_time": 1, "percent": 33.3}


def test_the_due_date_uses_the_policy_in_force_at_enforcement(team, officer):
    admin = make_user(Role.ADMIN, team)
    policy_override_create(
        allow_past=True,  # a past date, to test the history
        actor=admin,
        key="investigations.family_support_days",
        value=5,
        effective_from=T0 + dt.timedelta(days=1),
        reason="Force decision",
    )
    before = _arrested(team, officer)
    after = _arrested(team, officer, at=T0 + dt.timedelta(days=2))
    assert before.family_support_due_on == dt.date(2026, 3, 4)
    assert after.family_support_due_on == dt.date(2026, 3, 9)


# --- the directory --------------------------------------------------------------------------


def test_the_directory_is_seeded_with_details_to_confirm(seeded_directory):
    names = list(SupportOrganisation.objects.values_list("name_en", flat=True))
    assert len(names) == 4 and names[0].startswith("Stop It Now!")
    assert {"Safer Lives"} <= set(names)
    assert not SupportOrganisation.objects.filter(details_confirmed_at__isnull=False).exists()
    assert not SupportOrganisation.objects.exclude(phone="").exists()
    assert all(
        "To be confirmed by the force" in n
        for n in SupportOrganisation.objects.values_list("details_note", flat=True)
    )


def test_managers_and_admins_edit_the_directory_audited(team, officer):
    manager = make_user(Role.MANAGER, team)
    with pytest.raises(PermissionDenied):
        services.support_organisation_create(
            actor=officer, name_en="X", description_en="Y", website="https://x.example"
        )
    with pytest.raises(ValidationFailed) as exc:
        services.support_organisation_create(
            actor=manager, name_en="X", description_en="Y", website="not a url"
        )
    assert exc.value.errors[0][0] == "website"
    org = services.support_organisation_create(
        actor=manager,
        name_en="Local family support",
        description_en="Support",
        website="https://family.example.org",
        confirm_details=True,
    )
    assert org.details_confirmed_by == manager
    admin = make_user(Role.ADMIN, team)
    services.support_organisation_update(actor=admin, organisation=org, phone="01234 000000")
    org.refresh_from_db()
    assert org.phone and org.details_confirmed_at is None  # new details need confirming
    assert AuditEvent.objects.filter(action__startswith="support_organisation.").count() == 2
    services.support_organisation_delete(actor=admin, organisation=org)
    assert not SupportOrganisation.objects.filter(name_en="Local family support").exists()


# --- one directory per force, with national entries for every force -------------------------


OURS = {"Nationwide helpline", "Dyfed-Powys family support", "Gwent family support"}


def _names(qs):
    """The names listed, leaving out the rows the migration seeds (national ones)."""
    return {o.name_en for o in qs} & OURS


def test_each_user_sees_their_force_and_the_national_entries(
    team, gwent_team, directory, seeded_directory
):
    dyfed_officer = make_user(Role.OFFICER, team)
    gwent_analyst = make_user(Role.ANALYST, gwent_team, scope="force")
    dyfed = _names(selectors.support_organisations(user=dyfed_officer))
    gwent = _names(selectors.support_organisations(user=gwent_analyst))
    assert "Dyfed-Powys family support" in dyfed and "Gwent family support" not in dyfed
    assert "Gwent family support" in gwent and "Dyfed-Powys family support" not in gwent
    assert "Nationwide helpline" in dyfed & gwent
    seeded = {o.name_en for o in selectors.support_organisations(user=gwent_analyst)}
    assert "Safer Lives" in seeded  # the seeded organisations are national
    assert not SupportOrganisation.objects.filter(
        name_en="Safer Lives", force__isnull=False
    ).exists()
    # A user without a casework or administrator role in a force sees only national ones.
    auditor = make_user(Role.AUDITOR, team)
    assert "Dyfed-Powys family support" not in _names(selectors.support_organisations(user=auditor))


def test_a_leaflet_lists_the_owning_forces_entries_and_the_national_ones(
    team, gwent_team, officer, directory
):
    from vigil.investigations.tests.helpers import make_investigation

    dyfed = _names(selectors.leaflet_organisations(make_investigation(team, officer=officer)))
    gwent = _names(selectors.leaflet_organisations(make_investigation(gwent_team)))
    assert dyfed == {"Nationwide helpline", "Dyfed-Powys family support"}
    assert gwent == {"Nationwide helpline", "Gwent family support"}
    directory["dyfed"].active = False
    directory["dyfed"].save(update_fields=["active"])
    assert _names(selectors.leaflet_organisations(make_investigation(team))) == {
        "Nationwide helpline"
    }


def test_a_manager_keeps_their_own_forces_entries_only(team, gwent, gwent_team, directory):
    manager = make_user(Role.MANAGER, team)  # a team-scope membership: its force counts
    org = services.support_organisation_create(
        actor=manager, name_en="Local", description_en="Help", website="https://l.example.org"
    )
    assert org.force == team.force  # by default, the manager's own force
    assert AuditEvent.objects.get(action="support_organisation.create").changes["force"] == (
        "dyfed-powys"
    )
    with pytest.raises(PermissionDenied, match="Only an administrator can add a national"):
        services.support_organisation_create(
            actor=manager, force=None, name_en="X", description_en="Y"
        )
    with pytest.raises(PermissionDenied, match="only to your own force"):
        services.support_organisation_create(
            actor=manager, force=gwent, name_en="X", description_en="Y"
        )
    # Another force's entry is out of scope: not found, as for a missing one.
    with pytest.raises(NotFound):
        services.support_organisation_update(
            actor=manager, organisation=directory["gwent"], phone="01234 000000"
        )
    with pytest.raises(NotFound):
        services.support_organisation_delete(actor=manager, organisation=directory["gwent"])
    with pytest.raises(NotFound):
        selectors.get_support_organisation(directory["gwent"].uuid, user=manager)
    # A national entry is visible but kept by the administrators.
    assert selectors.get_support_organisation(directory["national"].uuid, user=manager)
    with pytest.raises(PermissionDenied, match="kept by the Vigil administrators"):
        services.support_organisation_update(
            actor=manager, organisation=directory["national"], phone="01234 000000"
        )
    with pytest.raises(PermissionDenied):
        services.support_organisation_update(actor=manager, organisation=org, force=None)
    directory["gwent"].refresh_from_db()
    directory["national"].refresh_from_db()
    assert directory["gwent"].phone == "" and directory["national"].phone == ""
    assert not SupportOrganisation.objects.filter(name_en="X").exists()
    # A force-scope manager of Gwent keeps Gwent's entries.
    gwent_manager = make_user(Role.MANAGER, gwent_team, scope="force")
    services.support_organisation_update(
        actor=gwent_manager, organisation=directory["gwent"], phone="01633 000000"
    )
    directory["gwent"].refresh_from_db()
    assert directory["gwent"].phone == "01633 000000"


def test_an_administrator_keeps_the_national_entries(team, directory):
    admin = make_user(Role.ADMIN, team)
    org = services.support_organisation_create(
        actor=admin, force=None, name_en="National", description_en="Help"
    )
    assert org.national and org.force is None
    services.support_organisation_update(
        actor=admin, organisation=directory["national"], phone="0800 000000"
    )
    # Moving an entry of the administrator's force to national is audited.
    services.support_organisation_update(actor=admin, organisation=directory["dyfed"], force=None)
    directory["dyfed"].refresh_from_db()
    assert directory["dyfed"].national
    event = AuditEvent.objects.filter(action="support_organisation.update").latest("id")
    assert event.changes["force"] == ["dyfed-powys", None]
    # Another force's entry is out of the administrator's scope too.
    with pytest.raises(NotFound):
        services.support_organisation_update(
            actor=admin, organisation=directory["gwent"], phone="01633 000000"
        )


def test_a_manager_of_two_forces_chooses_the_force(team, gwent_team, gwent):
    manager = make_user(Role.MANAGER, team)
    Membership.objects.create(user=manager, team=gwent_team, role=Role.MANAGER)
    with pytest.raises(ValidationFailed) as exc:
        services.support_organisation_create(actor=manager, name_en="X", description_en="Y")
    assert exc.value.errors[0][0] == "force"
    org = services.support_organisation_create(
        actor=manager, force=gwent, name_en="X", description_en="Y"
    )
    assert org.force == gwent
