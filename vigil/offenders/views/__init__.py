"""Offender-management pages, one module per sub-domain (the same names as in `services/`,
`api/` and `tests/`; `common` holds what they share). Each view parses input, loads
through a scoped selector (404 for missing and forbidden alike), calls one service and
renders. `urls.py` names each view by its module."""
