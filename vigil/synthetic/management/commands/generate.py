"""`vigil generate --scale force|national --seed N [--forces N]`: build synthetic data."""

import time

from django.core.management.base import BaseCommand, CommandError

from vigil.synthetic.generator import SCALES, generate


class Command(BaseCommand):
    help = "Generate synthetic data (deterministic for a seed). Never use real data in Vigil's demos or tests."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="force")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--forces",
            type=int,
            help="Only this many forces (national scale on a smaller machine).",
        )

    def handle(self, *args, scale, seed, forces, **options):
        started = time.monotonic()
        try:
            result = generate(scale=scale, seed=seed, forces=forces, stdout=self.stdout)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Generated {result.forces} force(s), {result.teams} teams, {result.users} users, "
            f"{result.people} people, {result.referrals} referrals, {result.investigations} investigations, "
            f"{result.nominals} nominals in {time.monotonic() - started:.0f} s (scale {scale}, seed {seed})."
        )
