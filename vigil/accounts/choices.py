from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamKind(models.TextChoices):
    POLIT = "polit", _("POLIT (online child abuse investigation)")
    MOSOVO = "mosovo", _("MOSOVO (offender management)")
    OTHER = "other", _("Other unit")


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    MANAGER = "manager", _("Manager")
    ANALYST = "analyst", _("Analyst")
    WELLBEING = "wellbeing", _("Wellbeing officer")
    AUDITOR = "auditor", _("Auditor")
    ASSURANCE = "assurance", _("Assurance / PCC office")
    PROBATION = "probation", _("Probation partner")
    ADMIN = "admin", _("Administrator")


class Scope(models.TextChoices):
    TEAM = "team", _("Own team")
    FORCE = "force", _("Whole force")


class Rank(models.TextChoices):
    """Police ranks and staff grades, ordered by `RANK_LEVEL` for authorisation."""

    CONSTABLE = "constable", _("Constable")
    SERGEANT = "sergeant", _("Sergeant")
    INSPECTOR = "inspector", _("Inspector")
    CHIEF_INSPECTOR = "chief_inspector", _("Chief inspector")
    SUPERINTENDENT = "superintendent", _("Superintendent")
    CHIEF_SUPERINTENDENT = "chief_superintendent", _("Chief superintendent")
    CHIEF_OFFICER = "chief_officer", _("Chief officer")
    STAFF = "staff", _("Police staff")
    STAFF_SUPERVISOR = "staff_supervisor", _("Police staff supervisor")
    STAFF_MANAGER = "staff_manager", _("Police staff manager")
    STAFF_SENIOR = "staff_senior", _("Senior police staff")
    EXTERNAL = "external", _("Partner agency (no police rank)")


# Authorisation level of each rank: a decision needing "inspector" accepts any rank at
# level 3 or above. Staff grades sit beside the ranks they supervise alongside.
RANK_LEVEL: dict[str, int] = {
    Rank.EXTERNAL: 0,
    Rank.CONSTABLE: 1,
    Rank.STAFF: 1,
    Rank.SERGEANT: 2,
    Rank.STAFF_SUPERVISOR: 2,
    Rank.INSPECTOR: 3,
    Rank.STAFF_MANAGER: 3,
    Rank.CHIEF_INSPECTOR: 4,
    Rank.SUPERINTENDENT: 5,
    Rank.STAFF_SENIOR: 5,
    Rank.CHIEF_SUPERINTENDENT: 6,
    Rank.CHIEF_OFFICER: 7,
}

# Roles that do casework on personal records (the others see aggregates, audit data,
# staff records or what is shared with them).
CASEWORK_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.MANAGER, Role.ANALYST})
SUPERVISORY_ROLES = frozenset({Role.SUPERVISOR, Role.MANAGER})
