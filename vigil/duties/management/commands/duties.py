"""`vigil duties check`: rebuild the expected open duties from domain state and report
every difference; exits non-zero if there is any."""

from django.core.management.base import BaseCommand, CommandError

from vigil.duties.checks import MISSING, duties_check
from vigil.duties.registry import all_kinds


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
            what = (
                "missing (should be open)"
                if d.problem == MISSING
                else "unexpected (open, should not be)"
            )
            self.stdout.write(f"{d.kind}\t{d.subject_type}:{d.subject_id}\t{what}")
        checked = [
            k.code for k in all_kinds() if k.expected is not None and (not kinds or k.code in kinds)
        ]
        if differences:
            raise CommandError(
                f"{len(differences)} difference(s) between open duties and domain state"
            )
        self.stdout.write(f"Duties match domain state ({len(checked)} kind(s) checked).")
