"""`vigil bench`: time Vigil's pages, API calls and jobs on a generated data set.

Run it on a database of its own, e.g.
    VIGIL_VAR_DIR=var/bench-force vigil bench --scale force
    VIGIL_VAR_DIR=var/bench-national vigil bench --scale national
The first run migrates and generates the data (and reports how long that took); later
runs reuse it. Results are printed and written to <var>/bench-<scale>.json.
"""

import json
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from vigil.core.bench import BenchContext, all_benchmarks, run


class Command(BaseCommand):
    help = "Benchmark Vigil on generated data (never on a live database)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["force", "national"], default="force")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--forces", type=int, help="Generate only this many forces (national scale)."
        )
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument(
            "--only", nargs="*", help="Run only benchmarks whose name starts with these."
        )

    def handle(self, *args, scale, seed, forces, repeat, only, **options):
        from vigil.accounts.models import User
        from vigil.synthetic.generator import DEMO_DOMAIN, generate

        if settings.PRODUCTION:
            raise CommandError(
                "vigil bench writes synthetic data: never run it in production mode."
            )
        # The sweep sends e-mail: keep it in memory while benchmarking.
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        results = []
        if not User.objects.exists():
            started = time.perf_counter()
            outcome = generate(scale=scale, seed=seed, forces=forces, stdout=self.stdout)
            seconds = time.perf_counter() - started
            self.stdout.write(
                f"generate --scale {scale}: {seconds:.0f} s ({outcome.people} people)"
            )
            results.append(
                {
                    "name": f"generate.{scale}",
                    "seconds": round(seconds, 1),
                    "people": outcome.people,
                }
            )
        elif not User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists():
            raise CommandError(
                "This database holds data that Vigil did not generate: benchmark on a database of its own."
            )
        context = BenchContext(repeat=repeat)
        self.stdout.write(
            f"{'benchmark':<34} {'median ms':>10} {'max ms':>10} {'queries':>8}  note"
        )
        for name, setup in all_benchmarks().items():
            if only and not any(name.startswith(prefix) for prefix in only):
                continue
            result = run(name, setup, context)
            self.stdout.write(
                f"{result.name:<34} {result.median_ms:>10.1f} {result.max_ms:>10.1f} {result.queries:>8}  {result.note}"
            )
            results.append(result.__dict__)
        out = settings.VAR_DIR / f"bench-{scale}.json"
        out.write_text(json.dumps({"scale": scale, "seed": seed, "results": results}, indent=2))
        self.stdout.write(f"Written to {out}")
