"""Writes for investigations, one module per sub-domain (the same names as in `views/`,
`api/` and `tests/`): the lifecycle (opening and moving an investigation), reassessment,
enforcement decisions, oversight of work allocated outside the team, the central
escalation log, pre-charge bail (with its conditions and its court applications in
their own modules), support for the suspect's family and the directory of support
organisations. `common` holds what they share: the access checks, locking, rank lookups
and the duty wrappers.

Every service locks the investigation, checks role and scope (a user who cannot see the
investigation gets NotFound, as if it did not exist), makes the change, and in the same
transaction records the audit event and opens or completes the duties it implies.

Every service is exported here, so callers import `vigil.investigations.services` and
need not know which module holds it.
"""

from vigil.investigations.services.bail import (
    BAIL_END_REASON,
    MAX_CONDITIONS,
    POLICE_RANKS,
    add_months,
    bail_extend,
    bail_stage_end,
    bail_stage_rank,
    escalations_from_bail_duties,
)
from vigil.investigations.services.bail_conditions import (
    bail_condition_check_record,
    bail_conditions_vary,
    bail_victim_views_record,
    unused_victim_views,
)
from vigil.investigations.services.bail_court import (
    bail_court_application_record,
    bail_court_decision_record,
)
from vigil.investigations.services.common import (
    POLICE_RANK_AT_LEVEL,
    WORK_ROLES,
    rank_label,
    reaches,
    reaches_investigation,
)
from vigil.investigations.services.decisions import enforcement_decision_record
from vigil.investigations.services.directory import (
    ORGANISATION_FIELDS,
    OWN_FORCE,
    UNCHANGED,
    check_directory_editor,
    support_organisation_create,
    support_organisation_delete,
    support_organisation_update,
)
from vigil.investigations.services.escalation import (
    escalation_acknowledge,
    escalation_raise,
    escalation_resolve,
    escalations_from_duties,
    escalations_raise_level,
)
from vigil.investigations.services.family_support import (
    family_support_leaflet_record,
    family_support_record,
    family_support_update,
)
from vigil.investigations.services.lifecycle import investigation_open, investigation_transition
from vigil.investigations.services.oversight import investigation_allocate, oversight_review_record
from vigil.investigations.services.reassessment import (
    HIGH_BANDS,
    INSTRUMENT,
    investigation_reassess,
)

__all__ = [
    "BAIL_END_REASON",
    "HIGH_BANDS",
    "INSTRUMENT",
    "MAX_CONDITIONS",
    "ORGANISATION_FIELDS",
    "OWN_FORCE",
    "POLICE_RANKS",
    "POLICE_RANK_AT_LEVEL",
    "UNCHANGED",
    "WORK_ROLES",
    "add_months",
    "bail_condition_check_record",
    "bail_conditions_vary",
    "bail_court_application_record",
    "bail_court_decision_record",
    "bail_extend",
    "bail_stage_end",
    "bail_stage_rank",
    "bail_victim_views_record",
    "check_directory_editor",
    "enforcement_decision_record",
    "escalation_acknowledge",
    "escalation_raise",
    "escalation_resolve",
    "escalations_from_bail_duties",
    "escalations_from_duties",
    "escalations_raise_level",
    "family_support_leaflet_record",
    "family_support_record",
    "family_support_update",
    "investigation_allocate",
    "investigation_open",
    "investigation_reassess",
    "investigation_transition",
    "oversight_review_record",
    "rank_label",
    "reaches",
    "reaches_investigation",
    "support_organisation_create",
    "support_organisation_delete",
    "support_organisation_update",
    "unused_victim_views",
]
