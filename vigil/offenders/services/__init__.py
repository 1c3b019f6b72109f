"""Every write of offender management, one module per sub-domain (the same names as in
`views/`, `api/` and `tests/`): registration, notification, orders, ARMS, plans, visits
(with the dip-checks of their authorisations), supervisor reviews, intelligence, PND
checks, reactive management and transfers of management to another force. `common`
holds what they share: the access checks, the duty wrappers, rank lookups and the work
a change in one sub-domain makes due in another.

Each service checks the actor's access, validates everything before writing, writes,
records the audit event and opens or closes the duties in one transaction. Duties on a
nominal carry the nominal's current risk level, so the outstanding-work matrix counts
them by risk.

Every service is exported here, so callers import `vigil.offenders.services` and need
not know which module holds it.
"""

from vigil.offenders.services.arms import ARMS_INSTRUMENT, arms_record, arms_trigger
from vigil.offenders.services.common import rank_label, require_casework, require_supervisor
from vigil.offenders.services.intelligence import intelligence_record, intelligence_review
from vigil.offenders.services.notification import (
    RESETS_ANNUAL,
    notification_cancel,
    notification_due_date,
    notification_open,
    notification_record,
    requirement_add,
)
from vigil.offenders.services.orders import breach_record, order_add, order_update
from vigil.offenders.services.plans import _plan_level as _plan_level
from vigil.offenders.services.plans import _visit_interval as _visit_interval
from vigil.offenders.services.plans import max_visit_months, plan_create
from vigil.offenders.services.pnd import (
    pnd_before_visit,
    pnd_check_assess,
    pnd_check_record,
    pnd_due,
)
from vigil.offenders.services.reactive import (
    circumstances_changed,
    reactive_approver_rank,
    reactive_assessment,
    reactive_decide,
    reactive_request,
    reactive_return,
    reactive_review_record,
)
from vigil.offenders.services.registration import (
    nominal_register,
    nominal_update,
    person_details_changed,
)
from vigil.offenders.services.reviews import review_record
from vigil.offenders.services.transfers import (
    receiving_team,
    transfer_accept,
    transfer_decline,
    transfer_request,
)
from vigil.offenders.services.visits import (
    authoriser_rank,
    dip_check_counts,
    dip_check_record,
    dip_check_sample,
    is_compliant,
    visit_authorise,
    visit_record,
)

__all__ = [
    "ARMS_INSTRUMENT",
    "RESETS_ANNUAL",
    "arms_record",
    "arms_trigger",
    "authoriser_rank",
    "breach_record",
    "circumstances_changed",
    "dip_check_counts",
    "dip_check_record",
    "dip_check_sample",
    "intelligence_record",
    "intelligence_review",
    "is_compliant",
    "max_visit_months",
    "nominal_register",
    "nominal_update",
    "notification_cancel",
    "notification_due_date",
    "notification_open",
    "notification_record",
    "order_add",
    "order_update",
    "plan_create",
    "person_details_changed",
    "pnd_before_visit",
    "pnd_check_assess",
    "pnd_check_record",
    "pnd_due",
    "rank_label",
    "reactive_approver_rank",
    "reactive_assessment",
    "reactive_decide",
    "reactive_request",
    "reactive_return",
    "reactive_review_record",
    "receiving_team",
    "require_casework",
    "require_supervisor",
    "requirement_add",
    "review_record",
    "transfer_accept",
    "transfer_decline",
    "transfer_request",
    "visit_authorise",
    "visit_record",
]
