"""`vigil referrals import FILE --user EMAIL [--team UUID]`: bulk intake from a CSV or
JSON file (docs/formats/referrals.md). Every row is checked first; any bad row means
nothing is written and every problem is listed with its line number."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vigil.accounts.models import User
from vigil.core.exceptions import VigilError
from vigil.referrals import selectors, services


class Command(BaseCommand):
    help = "Referral tools. `import FILE --user EMAIL [--team UUID]` imports a bulk referral file."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import"])
        parser.add_argument("file")
        parser.add_argument(
            "--user", required=True, help="E-mail of the supervisor or manager importing."
        )
        parser.add_argument(
            "--team", help="UUID of the receiving POLIT team (needed if the user has several)."
        )

    def handle(self, *args, **options):
        user = User.objects.filter(email=options["user"].lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with e-mail {options['user']}")
        teams = selectors.import_teams(user)
        if options.get("team"):
            teams = teams.filter(uuid=options["team"])
        teams = list(teams[:2])
        if not teams:
            raise CommandError("The user cannot import referrals for that team (or any team).")
        if len(teams) > 1:
            raise CommandError("The user works in several POLIT teams: name one with --team.")
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        try:
            result = services.referrals_import(
                actor=user, team=teams[0], filename=path.name, content=content
            )
        except services.ImportRejected as exc:
            lines = "\n".join(str(m) for _f, m in exc.errors)
            raise CommandError(f"{exc.message}\n{lines}") from exc
        except VigilError as exc:
            raise CommandError(str(exc.message)) from exc
        if result.already_imported:
            self.stdout.write(
                f"This file was already imported on {result.batch.created_at:%Y-%m-%d %H:%M} "
                f"({result.batch.filename}): nothing created."
            )
            return
        self.stdout.write(
            f"{result.created} referral(s) created, {result.skipped} skipped (NCA reference "
            f"already held), from {result.rows} row(s)."
        )
