"""Points whose records Vigil does not hold yet."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from vigil.assurance.metrics import declare_metric

# --- points whose records Vigil does not hold yet -----------------------------------------

# Points D, K and R are declared by vigil.workforce.evidence.
NOT_YET = [
    (
        "supervisors_trauma_training_in_date",
        "S",
        _("In-scope supervisors with in-date trauma-informed training"),
        _("Vigil does not yet hold training records (the workforce module)."),
    ),
]
for _key, _point, _label, _reason in NOT_YET:
    declare_metric(_key, point=_point, label=_label, definition=_label, reason=_reason)
