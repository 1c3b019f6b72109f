"""`vigil demo`: migrate the embedded database, print the demo accounts and serve on
http://127.0.0.1:8000 within about a minute, however long the synthetic force takes.

Steps on a first run (an empty database): migrate; start the generator (`vigil generate`)
in a background process, its output in var/demo-generate.log; wait until it has made the
demo accounts (its first transaction, seconds in), so that signing in works from the
first page; print the accounts; serve at once, with "still being generated" in every
page's demo banner while the history fills in; when the generator has finished, clear the
banner and start the sweep (never before: the sweep would act at today's date on a
history still being written in the past). Later runs: migrate, print, sweep and serve.
SQLite runs in WAL mode with a busy timeout (settings), so pages read while the generator
writes, and a write waits for the generator's transaction rather than failing.

Demo mode (no second factor, a banner on every page) is switched on by the `vigil`
command itself before Django starts; this command refuses to run in any other mode.
"""

import os
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from vigil.accounts.models import Membership, User
from vigil.synthetic import demo_state
from vigil.synthetic.generator import DEMO_ACCOUNTS, DEMO_DOMAIN, DEMO_PASSWORD, generate, team_plan

# How long to wait for the background generator's first transaction (the accounts).
ACCOUNTS_WAIT_SECONDS = 120
POLL_SECONDS = 0.5


def _child_env() -> dict:
    """The environment of the generator and the sweep: outside demo mode (only the server
    skips the second factor), e-mails to files under var/mail/ like the server's."""
    return {
        **{k: v for k, v in os.environ.items() if k != "VIGIL_DEMO_LAUNCHED_BY"},
        "VIGIL_MODE": "development",
        "VIGIL_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }


def _vigil(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "vigil.config.cli", *args], env=_child_env(), **kwargs
    )


def accounts_ready() -> bool:
    """Every demo account exists with its membership (they are committed together)."""
    emails = [f"{local}@{DEMO_DOMAIN}" for local, *_rest in DEMO_ACCOUNTS]
    with_membership = (
        Membership.objects.filter(user__email__in=emails).values("user_id").distinct().count()
    )
    return with_membership == len(set(emails))


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
        if demo_state.marker().exists():
            raise CommandError(
                f"The last generation of the synthetic force did not finish. Remove "
                f"{settings.VAR_DIR} to start again with a fresh force."
            )
        call_command("migrate", interactive=False, verbosity=0)
        generator = None
        if not User.objects.exists():
            if no_serve:
                self._generate_here(seed)
            else:
                generator = self._generate_in_background(seed)
        self._print_accounts(port)
        if no_serve:
            return
        processes: list[subprocess.Popen] = [generator] if generator else []
        if generator is None:
            processes.append(self._sweep())
        else:
            threading.Thread(
                target=self._sweep_when_generated, args=(generator, processes), daemon=True
            ).start()
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            for process in processes:
                if process.poll() is None:
                    process.terminate()

    def _generate_here(self, seed: int) -> None:
        self.stdout.write(
            "First run: generating a synthetic force with five years of history. This takes "
            "some minutes."
        )
        started = time.monotonic()
        result = generate(scale="force", seed=seed, stdout=self.stdout)
        self.stdout.write(
            f"Generated {result.people} people, {result.referrals} referrals, "
            f"{result.investigations} investigations and {result.nominals} nominals "
            f"in {time.monotonic() - started:.0f} s."
        )

    def _generate_in_background(self, seed: int) -> subprocess.Popen:
        """Start the generator, mark the demo as generating, and return once the demo
        accounts exist (CommandError if the generator stops first or takes too long)."""
        log_path = settings.VAR_DIR / "demo-generate.log"
        self.stdout.write(
            "First run: generating a synthetic force with five years of history in the "
            f"background (progress in {log_path}). Vigil serves as soon as the demo accounts "
            "exist; every page says so while the history is still being generated."
        )
        log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - the child keeps it
        generator = _vigil(
            "generate", "--scale", "force", "--seed", str(seed), stdout=log, stderr=log
        )
        demo_state.start(generator.pid)
        deadline = time.monotonic() + ACCOUNTS_WAIT_SECONDS
        while not accounts_ready():
            if generator.poll() is not None:
                demo_state.finish()
                raise CommandError(f"The generator stopped; see {log_path}.")
            if time.monotonic() > deadline:
                generator.terminate()
                raise CommandError(f"The demo accounts were not made in time; see {log_path}.")
            time.sleep(POLL_SECONDS)
        return generator

    def _sweep(self) -> subprocess.Popen:
        return _vigil("sweep", "--every", "60")

    def _sweep_when_generated(self, generator: subprocess.Popen, processes: list) -> None:
        """Wait for the generator; then clear the banner and start the sweep."""
        code = generator.wait()
        if code != 0:
            self.stderr.write(
                f"The generator stopped with exit code {code}; see "
                f"{settings.VAR_DIR / 'demo-generate.log'}."
            )
            return
        demo_state.finish()
        self.stdout.write("The synthetic force is ready; the sweep starts now.")
        processes.append(self._sweep())

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
