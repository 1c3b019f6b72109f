"""`manage.py check` (and every start-up) refuses a bad instrument definition, naming the
file and each problem."""

from __future__ import annotations

from django.core import checks


def check_definitions(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from django.conf import settings

    from vigil.instruments import engine

    try:
        engine.Registry.from_directories([engine.DEFINITIONS_DIR, *settings.VIGIL_INSTRUMENTS_DIRS])
    except engine.DefinitionError as exc:
        return [
            checks.Error(problem, hint="Fix the definition file.", id="instruments.E001")
            for problem in exc.problems
        ]
    return []
