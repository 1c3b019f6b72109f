"""`vigil demo`: migrate the embedded database, generate data if empty, print the demo
accounts, run the sweep in the background and serve on http://127.0.0.1:8000.

Demo mode (no second factor, a banner on every page) is switched on by the `vigil`
command itself before Django starts; this command refuses to run in any other mode.
"""

import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from vigil.accounts.models import User
from vigil.synthetic.generator import DEMO_ACCOUNTS, DEMO_DOMAIN, DEMO_PASSWORD, generate, team_plan


class Command(BaseCommand):
    help = "Run Vigil in demonstration mode with synthetic data on the embedded SQLite database."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--no-serve", action="store_true", help="Set up and print the accounts only."
        )

    def handle(self, *args, port, seed, no_serve, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "Start the demo with the `vigil demo` command (it switches on demo mode)."
            )
        (settings.VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if not User.objects.exists():
            self._print_accounts(port)
            self.stdout.write(
                "First run: generating a synthetic force with five years of history (a quarter "
                "through Vigil's own services, the rest copies of those case histories). This "
                "takes some minutes; the server starts when it is done."
            )
            started = time.monotonic()
            result = generate(scale="force", seed=seed, stdout=self.stdout)
            self.stdout.write(
                f"Generated {result.people} people, {result.referrals} referrals, "
                f"{result.investigations} investigations and {result.nominals} nominals "
                f"in {time.monotonic() - started:.0f} s."
            )
        self._print_accounts(port)
        if no_serve:
            return
        sweeper = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
            [sys.executable, "-m", "vigil.config.cli", "sweep", "--every", "60"],
            # The sweep runs outside demo mode (only the server skips the second factor);
            # its e-mails go to files under var/mail/ like the server's.
            env={
                **{k: v for k, v in os.environ.items() if k != "VIGIL_DEMO_LAUNCHED_BY"},
                "VIGIL_MODE": "development",
                "VIGIL_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            },
        )
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            sweeper.terminate()

    def _print_accounts(self, port: int) -> None:
        w = self.stdout.write
        w("")
        w("Vigil demo — synthetic data only. Sign in at http://127.0.0.1:%d/ with:" % port)
        w("")
        team_names = {key: name for key, name, _cy, _kind in team_plan()}
        for local, name, team, role, scope, _rank in DEMO_ACCOUNTS:
            w(
                f"  {local + '@' + DEMO_DOMAIN:<34} {role.label:<26} {name} ({team_names[team]}, {scope.label})"
            )
        w("")
        w(f"  password for every account: {DEMO_PASSWORD}")
        w("  (demo mode: no second factor is asked for)")
        w("")
