"""Duties the partners app opens, and what `vigil duties check` expects of each.

| kind              | subject   | team                                   | open while            |
|-------------------|-----------|----------------------------------------|-----------------------|
| partners.request  | Request   | the answering side's team              | raised or acknowledged|
| partners.review   | Agreement | the police owner's team                | always (next review)  |

A late request escalates by the duty ledger's policies (supervisor, then manager); at the
manager level the agreement's owner on the answering side is told as well (the named
owner is the top of the escalation, as the agreement says).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vigil.duties.choices import EscalationLevel
from vigil.duties.registry import declare_duty_kind

REQUEST = "partners.request"
REVIEW = "partners.review"


def _expected_requests(now):
    from vigil.partners.choices import OPEN_STATES
    from vigil.partners.models import Request

    return {
        ("partners.request", u)
        for u in Request.objects.filter(state__in=OPEN_STATES).values_list("uuid", flat=True)
    }


def _expected_reviews(now):
    from vigil.partners.models import Agreement

    return {("partners.agreement", u) for u in Agreement.objects.values_list("uuid", flat=True)}


def _tell_owner(duties, level, now) -> None:
    """At the manager level, tell the answering side's owner of the agreement too."""
    if level != EscalationLevel.MANAGER:
        return
    from vigil.duties import messages
    from vigil.duties.services import notify
    from vigil.partners.models import Request

    requests = Request.objects.filter(uuid__in=[d.subject_id for d in duties]).select_related(
        "agreement__police_owner", "agreement__probation_owner"
    )
    by_uuid = {r.uuid: r for r in requests}
    for duty in duties:
        request = by_uuid.get(duty.subject_id)
        if request is None:
            continue
        agreement = request.agreement
        owner = (
            agreement.probation_owner
            if request.responding_side == "probation"
            else agreement.police_owner
        )
        notify(
            user=owner,
            duty=duty,
            message_key=messages.ESCALATED_MANAGER,
            params={
                "kind": duty.kind,
                "due": duty.due_at.date().isoformat(),
                "days": max((now - duty.due_at).days, 0),
                "team": duty.team.name,
                "team_cy": duty.team.name_cy,
                "team_id": str(duty.team.uuid),
                "assignee": duty.assignee.full_name if duty.assignee_id else "",
            },
        )


declare_duty_kind(
    REQUEST,
    label=_("Answer a partner request"),
    expected=_expected_requests,
    url=lambda subject_id: reverse("partners:request", args=[subject_id]),
    escalate_supervisor_days=1,
    escalate_manager_days=5,
    on_escalate=_tell_owner,
)
declare_duty_kind(
    REVIEW,
    label=_("Review the service level agreement with Probation"),
    expected=_expected_reviews,
    url=lambda subject_id: reverse("partners:agreement", args=[subject_id]),
)
