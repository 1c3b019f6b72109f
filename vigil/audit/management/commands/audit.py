"""`vigil audit verify`: recompute the audit chain and name the first broken event."""

from django.core.management.base import BaseCommand, CommandError

from vigil.audit.services import verify_chain


class Command(BaseCommand):
    help = "Audit log tools. `verify` recomputes the hash chain; exits non-zero if it is broken."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"Audit chain BROKEN at event #{result.broken_event_id}: {result.problem} "
                f"({result.checked} events checked)"
            )
        self.stdout.write(f"Audit chain intact: {result.checked} events checked.")
