"""Investigation pages, one module per sub-domain (the same names as in `services/`, `api/`
and `tests/`; `common` holds what they share): the list, an investigation with its
timeline, the forms that move it (transition, reassessment, decision, allocation,
oversight review), the oversight board, the escalation log, pre-charge bail, family
support and the directory of support organisations. Reads through selectors, writes
through services; `urls.py` names each view by its module."""
