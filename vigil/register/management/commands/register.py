"""`vigil register import FILE --user EMAIL`: import a register (ViSOR) extract and
reconcile it with Vigil's nominals, showing progress on stderr.
`vigil register extract --out FILE [--format csv|json] [--force CODE ...] [--seed N]`:
write a synthetic extract of Vigil's nominals with a known set of injected discrepancies.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vigil.accounts.models import User
from vigil.core.exceptions import VigilError
from vigil.register import services, synthetic
from vigil.register.choices import ExtractFormat, ExtractStatus


class Command(BaseCommand):
    help = "Register extract tools: `import FILE --user EMAIL`, `extract --out FILE`."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        imp = actions.add_parser("import", help="Import and reconcile an extract file.")
        imp.add_argument("file")
        imp.add_argument("--user", required=True, help="E-mail of the person importing.")
        ext = actions.add_parser("extract", help="Write a synthetic extract (with discrepancies).")
        ext.add_argument("--out", required=True, help="File to write.")
        ext.add_argument("--format", choices=ExtractFormat.values, default=None)
        ext.add_argument("--force", nargs="*", help="Force codes (default: every force).")
        ext.add_argument("--seed", type=int, default=1)
        ext.add_argument("--not-in-vigil", type=int, default=3)
        ext.add_argument("--not-on-register", type=int, default=3)
        ext.add_argument("--field-changes", type=int, default=None)
        ext.add_argument("--weak-matches", type=int, default=2)

    def handle(self, *args, action, **options):
        if action == "import":
            return self._import(options)
        return self._extract(options)

    def _progress(self, extract):
        if extract.status == ExtractStatus.COMPLETE:
            self.stderr.write(f"\rreconciled {extract.row_count} of {extract.row_count} rows   ")
        else:
            self.stderr.write(
                f"\rreconciling {extract.rows_done} of {extract.row_count} rows "
                f"({extract.percent_done}%)",
                ending="",
            )
        self.stderr.flush()

    def _import(self, options):
        user = User.objects.filter(email=options["user"].lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with e-mail {options['user']}")
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        self.stderr.write(f"checking {path.name} ({len(content):,} bytes)…")
        try:
            result = services.extract_import(actor=user, filename=path.name, content=content)
            extract = result.extract
            if result.already_imported and extract.status == ExtractStatus.COMPLETE:
                self.stdout.write(
                    f"This file was already imported on {extract.created_at:%Y-%m-%d %H:%M} "
                    f"({extract.filename}): nothing changed."
                )
                return
            extract = services.extract_run(actor=user, extract=extract, progress=self._progress)
        except services.ExtractRejected as exc:
            lines = "\n".join(str(m) for _f, m in exc.errors)
            raise CommandError(f"{exc.message}\n{lines}") from exc
        except VigilError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stderr.write("")
        self.stdout.write(
            f"{extract.row_count} row(s): {extract.matched_by_reference} matched by reference, "
            f"{extract.matched_by_name} by name and date of birth (weaker); "
            f"{extract.not_in_vigil} not in Vigil, {extract.not_on_register} not on the register, "
            f"{extract.fields_differing} field(s) differing; {extract.opened_count} discrepancies "
            f"opened, {extract.closed_count} closed as agreed."
        )

    def _extract(self, options):
        forces = synthetic.forces_by_code(options.get("force"))
        if not forces:
            raise CommandError("No such force.")
        out = Path(options["out"])
        file_format = options["format"] or (
            ExtractFormat.JSON if out.suffix.lower() == ".json" else ExtractFormat.CSV
        )
        written = synthetic.write_extract(
            forces=forces,
            seed=options["seed"],
            file_format=file_format,
            not_in_vigil=options["not_in_vigil"],
            not_on_register=options["not_on_register"],
            field_changes=options["field_changes"],
            weak_matches=options["weak_matches"],
        )
        out.write_bytes(written.content)
        counts = ", ".join(f"{k} {v}" for k, v in sorted(written.counts.items()))
        self.stdout.write(f"{written.rows} row(s) written to {out}; injected: {counts}")
