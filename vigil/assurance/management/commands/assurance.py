"""`vigil assurance --json [--as-of YYYY-MM-DD] [--force CODE]`: every point's evidence as
a JSON document (the same as GET /api/v1/assurance), or a short table without --json; of
one force with --force, else of every force together (the command is the operator's, who
reads the whole installation). `--snapshots-from DATE` stores the daily snapshots of every
force back to a date, in bulk."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from vigil.assurance import selectors, services
from vigil.core import clock
from vigil.core.exceptions import VigilError


class Command(BaseCommand):
    help = "Print the evidence for every inspection point, as of a date (default today)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the JSON document.")
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="Figures as of this date.")
        parser.add_argument(
            "--force", metavar="CODE", help="Figures of this force only (its code)."
        )
        parser.add_argument(
            "--snapshots-from",
            metavar="YYYY-MM-DD",
            help=(
                "Store the daily snapshots of every day from this date to --as-of (default "
                "today), computed as of each day (for trends on a new installation)."
            ),
        )

    def _date(self, options, name):
        if not options[name]:
            return None
        try:
            return dt.date.fromisoformat(options[name])
        except ValueError:
            flag = "--" + name.replace("_", "-")
            raise CommandError(f"{flag} must be a date written YYYY-MM-DD") from None

    def handle(self, *args, **options):
        as_of = self._date(options, "as_of")
        start = self._date(options, "snapshots_from")
        if start is not None:
            end = as_of or clock.today()
            if start > end or end > clock.today():
                raise CommandError("--snapshots-from must be on or before --as-of, not after today")
            services.snapshot_backfill(start=start, end=end)
            self.stdout.write(f"Snapshots stored for {start} to {end}.")
            return
        force = None
        if options["force"]:
            from vigil.accounts.models import Force

            force = Force.objects.filter(code=options["force"]).first()
            if force is None:
                raise CommandError(f"There is no force with the code {options['force']!r}")
        try:
            document = selectors.document(as_of, force=force)
        except VigilError as exc:
            raise CommandError(str(exc.message)) from None
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Force: {force.name if force else 'every force'}")
        self.stdout.write(
            f"As of {document['as_of']} (period {document['period']['from']} to {document['period']['to']})"
        )
        for point in document["points"]:
            self.stdout.write(f"{point['id']}  {point['status']:<15} deadline {point['deadline']}")
            for m in point["metrics"]:
                figures = (
                    f"{m['numerator']}/{m['denominator']}" if m["measurable"] else "not measurable"
                )
                self.stdout.write(f"     {m['status']:<15} {figures:<15} {m['label']}")
