"""`vigil offenders_dip_check [--month YYYY-MM]`: sample last month's (or the named month's)
visit authorisations for dip-checking by senior reviewers. Idempotent per month."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from vigil.core import clock
from vigil.offenders import services


class Command(BaseCommand):
    help = "Assign a sample of a month's visit authorisations to senior reviewers."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: last month)")

    def handle(self, *args, month=None, **options):
        if month:
            try:
                first = dt.date.fromisoformat(f"{month}-01")
            except ValueError as exc:
                raise CommandError("Give the month as YYYY-MM") from exc
        else:
            first = (clock.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        checks = services.dip_check_sample(month=first)
        counts = services.dip_check_counts(first)
        self.stdout.write(
            f"{first:%Y-%m}: {len(checks)} authorisation(s) sampled; "
            f"{counts['checked']} of {counts['sampled']} checked"
        )
