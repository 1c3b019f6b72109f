"""`vigil audit verify`: recompute the audit chain and name the first broken event."""

from django.core.management.base import BaseCommand, CommandError

from vigil.audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Audit log tools. `verify` recomputes the hash chain up to the chain head; exits "
        "non-zero if it is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        result = verify_chain()
        if not result.ok:
            where = f" at event #{result.broken_event_id}" if result.broken_event_id else ""
            raise CommandError(
                f"Audit chain BROKEN{where}: {result.problem} ({result.checked} events checked)"
            )
        message = f"Audit chain intact: {result.checked} events checked"
        if result.last_event_id:
            message += f", up to event #{result.last_event_id}"
        if result.beyond:
            message += f"; {result.beyond} written during the check are left for the next run"
        self.stdout.write(message + ".")
