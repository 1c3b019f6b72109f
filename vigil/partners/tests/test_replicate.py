"""A national data set copies the first force's case histories to the other forces; the
partnership with Probation is the first force's alone and is not copied, so no copied
duty, escalation or audit event points at the first force's requests or people."""

import pytest
from django.db import transaction

from vigil.accounts.models import Force
from vigil.audit.models import AuditEvent
from vigil.duties.models import Duty, Escalation
from vigil.partners.models import Agreement, ProbationRegion, Request
from vigil.synthetic.generator import Scale, generate
from vigil.synthetic.replicate import NOT_COPIED_DUTY_KINDS

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
    referrals_per_week=1,
    referral_years=1,
    template=FIRST,
)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        generate(scale=COPIED, seed=5)
        first, second = Force.objects.order_by("id")
        yield first, second
        transaction.set_rollback(True)


def test_the_partnership_stays_with_the_first_force(built):
    first, second = built
    assert NOT_COPIED_DUTY_KINDS == ("partners.",)
    assert ProbationRegion.objects.filter(force=first).count() == 1
    assert not ProbationRegion.objects.filter(force=second).exists()
    assert not Agreement.objects.filter(force=second).exists()
    requests = Request.objects.all()
    assert requests.exists()
    assert not requests.exclude(nominal__team__force=first).exists()


def test_no_partner_duty_points_at_another_forces_person_or_request(built):
    first, second = built
    duties = Duty.objects.filter(kind__startswith="partners.")
    assert duties.filter(kind="partners.request").exists()
    assert not duties.filter(team__force=second).exists()
    requests = {r.uuid: r for r in Request.objects.select_related("nominal")}
    for duty in duties.filter(kind="partners.request"):
        request = requests[duty.subject_id]  # every request duty is about a real request
        assert duty.person_id == request.nominal.person_id
        assert duty.team.force_id == first.pk
    assert not Escalation.objects.filter(
        duty__kind__startswith="partners.", duty__team__force=second
    ).exists()
    # No audit event about a duty that was left out of the copy.
    partner_duty_ids = {str(u) for u in duties.values_list("uuid", flat=True)}
    copied = AuditEvent.objects.filter(action__startswith="duty.", target_type="duties.duty")
    all_duty_ids = {str(u) for u in Duty.objects.values_list("uuid", flat=True)}
    stray = set(copied.values_list("target_id", flat=True)) - all_duty_ids
    assert not stray
    assert partner_duty_ids <= all_duty_ids
