"""National-scale data: forces built from copies of the first force's case histories."""

from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse

from vigil.accounts.models import Force, Membership, User
from vigil.audit.models import AuditEvent
from vigil.audit.services import verify_chain
from vigil.core.testing import verified_client
from vigil.duties.checks import duties_check
from vigil.duties.models import Duty
from vigil.offenders.models import Nominal
from vigil.people.models import Person
from vigil.referrals.models import Referral
from vigil.synthetic.generator import DEMO_DOMAIN, Scale, generate
from vigil.synthetic.replicate import case_models

pytestmark = pytest.mark.django_db

FIRST = Scale(
    forces=1,
    nominals_per_force=8,
    suspects_per_force=3,
    officers_per_team=2,
    referrals_per_week=1,
    referral_years=1,
)
COPIED = Scale(
    forces=2,
    nominals_per_force=14,
    suspects_per_force=3,
    officers_per_team=2,
    referrals_per_week=2,
    referral_years=1,
    template=FIRST,
)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """One replicated data set for the module (generating it takes some seconds), inside
    a transaction rolled back at the end, so the database is left as it was."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = generate(scale=COPIED, seed=11)
        first, second = Force.objects.order_by("id")
        yield result, first, second
        transaction.set_rollback(True)


def _signature(nominal: Nominal) -> tuple:
    """What a copy keeps of its original: status, risk, and how much history it has."""
    return (
        nominal.status,
        nominal.risk_level,
        nominal.mappa_category,
        nominal.visits.count(),
        nominal.arms.count(),
        nominal.pnd_checks.count(),
    )


def test_the_copied_force_has_its_nominals_and_referrals_and_keeps_the_rules(built):
    result, first, second = built
    copied = Nominal.objects.filter(team__force=second)
    assert copied.count() >= COPIED.nominals_per_force
    assert result.nominals == Nominal.objects.count()
    assert Referral.objects.filter(force=second).exists()
    assert result.referrals == Referral.objects.count()
    # The audit chain verifies with the copies' events chained on, and the open duties are
    # exactly those the copied records call for.
    assert verify_chain().ok
    assert duties_check() == []
    # The replication itself is on record: the first force topped up, the second built.
    top_up = AuditEvent.objects.get(action="synthetic.replicate", target_id=str(first.uuid))
    assert top_up.changes["nominals"] > 0
    assert Nominal.objects.filter(team__force=first).count() >= COPIED.nominals_per_force
    event = AuditEvent.objects.get(action="synthetic.replicate", target_id=str(second.uuid))
    assert event.changes["from_force"] == first.code
    assert event.changes["nominals"] == copied.count()


def test_each_copy_keeps_its_history_and_gets_new_identities(built):
    _result, first, second = built
    originals = {_signature(n) for n in Nominal.objects.filter(team__force=first)}
    for nominal in Nominal.objects.filter(team__force=second):
        assert _signature(nominal) in originals
    people_first = Person.objects.filter(force=first)
    people_second = Person.objects.filter(force=second)
    assert people_second.count() > 0
    pnc_first = set(people_first.exclude(pnc_id="").values_list("pnc_id", flat=True))
    assert not pnc_first & set(people_second.exclude(pnc_id="").values_list("pnc_id", flat=True))
    references = list(
        Person.objects.exclude(register_reference="").values_list("register_reference", flat=True)
    )
    assert len(references) == len(set(references))
    assert all(
        r.startswith("02/")
        for r in people_second.exclude(register_reference="").values_list(
            "register_reference", flat=True
        )
    )
    nca = Counter(
        Referral.objects.filter(force=second, source="nca_ceop").values_list(
            "source_reference", flat=True
        )
    )
    assert nca and max(nca.values()) == 1
    # Every case record's uuid is new.
    for model in case_models():
        if any(f.name == "uuid" for f in model._meta.concrete_fields):
            values = list(model._base_manager.values_list("uuid", flat=True))
            assert len(values) == len(set(values)), model


def test_copies_are_worked_by_the_forces_own_staff(built):
    _result, first, second = built
    staff_second = set(
        Membership.objects.filter(team__force=second).values_list("user_id", flat=True)
    )
    admin = User.objects.get(email=f"admin@{DEMO_DOMAIN}")
    managers = set(
        Nominal.objects.filter(team__force=second).values_list("offender_manager_id", flat=True)
    )
    assert managers - {None} <= staff_second
    assignees = set(Duty.objects.filter(team__force=second).values_list("assignee_id", flat=True))
    assert assignees - {None} <= staff_second | {admin.pk}
    # Two officers at a visit stay two different officers in the copy.
    from vigil.offenders.models import Visit

    pairs = Visit.objects.filter(nominal__team__force=second).annotate(n=Count("officers"))
    originals = Counter(
        Visit.objects.filter(nominal__team__force=first)
        .annotate(n=Count("officers"))
        .values_list("n", flat=True)
    )
    assert set(pairs.values_list("n", flat=True)) <= set(originals)
    # The audit events about a copied nominal name the copy and its force's staff.
    nominal = Nominal.objects.filter(team__force=second).select_related("person").first()
    events = AuditEvent.objects.filter(person_id=str(nominal.person.uuid))
    assert events.exists()
    emails_first = set(
        User.objects.filter(memberships__team__force=first)
        .exclude(pk=admin.pk)
        .values_list("email", flat=True)
    )
    for event in events:
        assert event.actor_email not in emails_first
        assert not any(email in str(event.changes) for email in emails_first)


def test_a_copied_record_is_seen_by_its_own_force_only(built):
    _result, first, second = built
    nominal = Nominal.objects.filter(team__force=second, person__is_restricted=False).first()
    url = reverse("offenders:detail", args=[nominal.uuid])
    own = User.objects.filter(
        memberships__team__force=second, memberships__role="manager", memberships__scope="force"
    ).first()
    other = User.objects.get(email=f"mosovo.inspector@{DEMO_DOMAIN}")
    assert verified_client(own).get(url).status_code == 200
    assert verified_client(other).get(url).status_code == 404


def test_each_copy_keeps_its_nominals_history_with_its_own_identities(built):
    """The copied history rows name the copy's team and register reference, so the row in
    force is the copied record (`vigil offenders check-history`) and a past figure counts
    the copy in its own force."""
    from vigil.offenders.history import NominalState, current_mismatches

    _result, _first, second = built
    assert not current_mismatches().exists()
    copied = NominalState.objects.filter(nominal__team__force=second)
    assert copied.exists()
    assert not copied.exclude(team__force=second).exists()
    assert (
        not copied.exclude(register_reference="")
        .exclude(register_reference=F("nominal__person__register_reference"))
        .exists()
    )
