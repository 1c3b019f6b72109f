"""`vigil serve`: the production server (gunicorn) against DATABASE_URL."""

import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve Vigil with gunicorn (collects static files first). Run `vigil migrate` before."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) * 2 + 1))

    def handle(self, *args, bind, workers, **options):
        if not settings.PRODUCTION:
            raise CommandError(
                "`vigil serve` is the production server: set VIGIL_MODE=production (with "
                "VIGIL_SECRET_KEY and VIGIL_ALLOWED_HOSTS). For a look on this machine, use "
                "`vigil demo` or `vigil runserver`."
            )
        call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which(
            "gunicorn"
        )
        if gunicorn is None:
            raise CommandError("gunicorn is not installed in this environment.")
        os.execv(  # noqa: S606 - replaces this process with gunicorn, fixed arguments
            gunicorn,
            [
                gunicorn,
                "vigil.config.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
            ],
        )
