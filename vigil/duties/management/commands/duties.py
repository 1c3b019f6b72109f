"""`vigil duties check`: rebuild the expected open duties from domain state and report
every difference, and every open duty whose assignee is inactive or no longer in its team;
exits non-zero if there is any."""

from django.core.management.base import BaseCommand, CommandError

from vigil.duties.checks import (
    ASSIGNEE_INACTIVE,
    ASSIGNEE_NOT_IN_TEAM,
    MISSING,
    UNEXPECTED,
    duties_check,
)
from vigil.duties.registry import all_kinds

PROBLEMS = {
    MISSING: "missing (should be open)",
    UNEXPECTED: "unexpected (open, should not be)",
    ASSIGNEE_INACTIVE: "assigned to an inactive user (reassign it)",
    ASSIGNEE_NOT_IN_TEAM: "assigned to a user no longer in its team (reassign it)",
}


class Command(BaseCommand):
    help = "Duty ledger tools. `check` compares open duties with domain state; exits non-zero on a difference."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check"])
        parser.add_argument(
            "--kind", action="append", dest="kinds", help="Check only this kind (repeatable)."
        )

    def handle(self, *args, **options):
        kinds = options.get("kinds")
        known = {k.code for k in all_kinds()}
        unknown = sorted(set(kinds or []) - known)
        if unknown:
            raise CommandError(f"Unknown duty kind: {', '.join(unknown)}")
        differences = duties_check(kinds=kinds)
        for d in differences:
            what = PROBLEMS.get(d.problem, d.problem)
            duty = f"\tduty {d.duty_id}" if d.duty_id else ""
            self.stdout.write(f"{d.kind}\t{d.subject_type}:{d.subject_id}\t{what}{duty}")
        checked = [
            k.code for k in all_kinds() if k.expected is not None and (not kinds or k.code in kinds)
        ]
        if differences:
            raise CommandError(
                f"{len(differences)} difference(s) between open duties and domain state"
            )
        self.stdout.write(f"Duties match domain state ({len(checked)} kind(s) checked).")
