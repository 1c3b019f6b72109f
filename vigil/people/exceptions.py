"""The people app's own errors, in the one error hierarchy (vigil.core.exceptions)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigil.core.exceptions import Conflict, PermissionDenied


class PossibleDuplicate(Conflict):
    """A new record may be a person Vigil already holds.

    `matches` lists only the records the actor may see (DuplicateMatch: person and
    reasons); `hidden_count` counts the others, which are never described.
    """

    code = "possible_duplicate"

    def __init__(self, *, matches, hidden_count: int):
        total = len(matches) + hidden_count
        message = ngettext(
            "Vigil may already hold a record for this person (%(count)s possible match).",
            "Vigil may already hold a record for this person (%(count)s possible matches).",
            total,
        ) % {"count": total}
        super().__init__(message)
        self.matches = list(matches)
        self.hidden_count = hidden_count


class PersonRestricted(PermissionDenied):
    """The person is restricted (need to know) and the user is not named on the restriction.

    Carries only the owning team's name, so the refusal can say whom to ask.
    """

    code = "restricted"

    def __init__(self, *, team_name: str):
        super().__init__(
            _("This record is restricted: ask %(team)s if you need access.") % {"team": team_name}
        )
        self.team_name = team_name
