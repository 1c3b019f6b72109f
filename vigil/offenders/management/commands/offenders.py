"""`vigil offenders check-history`: report every nominal whose history row in force now
differs from its current values (or that has none); exits non-zero if there is any. The
offenders services keep the two equal in the same transaction as each change, so a
difference means a write went around them."""

from django.core.management.base import BaseCommand, CommandError

from vigil.offenders.history import current_mismatches


class Command(BaseCommand):
    help = (
        "Offender-management tools. `check-history` compares each nominal's history row in "
        "force with its current values; exits non-zero on a difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check-history"])

    def handle(self, *args, **options):
        differing = list(current_mismatches().values_list("uuid", flat=True)[:1000])
        for uuid in differing:
            self.stdout.write(f"offenders.nominal:{uuid}\thistory differs from the record")
        if differing:
            raise CommandError(
                f"{len(differing)} nominal(s) whose history differs from their record"
            )
        self.stdout.write("Every nominal's history matches its record.")
