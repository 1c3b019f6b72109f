"""`vigil sweep`: one pass of escalations, overdue notices and e-mail retries (`--every N`
to loop)."""

import time

from django.core.management.base import BaseCommand, CommandError

from vigil.core import clock
from vigil.duties import registry, services


class Command(BaseCommand):
    help = (
        "Escalate overdue duties, send overdue notices and retry unsent notification "
        "e-mails. Safe to run in several processes at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Run again every SECONDS seconds until stopped.",
        )

    def handle(self, *args, **options):
        every = options["every"]
        if every < 0:
            raise CommandError("--every must be a number of seconds, 0 or more")
        try:
            while True:
                result = services.sweep()
                self.stdout.write(
                    f"Sweep: {result.escalated_to_supervisor} escalated to supervisors, "
                    f"{result.escalated_to_manager} escalated to managers, "
                    f"{result.overdue_notices} overdue notices, {result.notifications} notifications, "
                    f"{result.emails_sent} e-mails sent again, {result.emails_failed} still failing."
                )
                for name, job in registry.sweep_jobs().items():
                    self.stdout.write(f"{name}: {job(now=clock.now())}")
                if not every:
                    return
                time.sleep(every)
        except KeyboardInterrupt:
            self.stdout.write("Sweep stopped.")
