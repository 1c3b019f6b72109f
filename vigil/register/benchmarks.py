"""Register benchmarks: importing and reconciling an extract of every nominal Vigil holds
(about 70,000 rows on the national data set), and the report page."""

from vigil.accounts.models import Force, User
from vigil.core.bench import benchmark


def _importer():
    return User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()


@benchmark("register.import_reconcile")
def import_reconcile(context):
    """Each run imports a different extract (another seed, so another hash) of every
    nominal of every force with its injected discrepancies, and reconciles it to the end.
    The files are written before timing starts."""
    from vigil.register import services
    from vigil.register.models import Extract
    from vigil.register.synthetic import write_extract

    actor = _importer()
    forces = list(Force.objects.filter(teams__nominals__isnull=False).distinct())
    # Seeds not used before on this database: an extract imported already is recognised
    # by its hash and skipped, which would time nothing.
    first_seed = 1000 + Extract.objects.count()
    files = [
        write_extract(
            forces=forces,
            seed=first_seed + n,
            not_in_vigil=50,
            not_on_register=50,
            field_changes=500,
            weak_matches=20,
        )
        for n in range(context.repeat + 1)
    ]
    context.notes["register.import_reconcile"] = f"{files[0].rows} rows"

    def run():
        written = files.pop(0)
        result = services.extract_import(actor=actor, filename="bench.csv", content=written.content)
        services.extract_run(actor=actor, extract=result.extract)

    return run


@benchmark("page.register_report")
def report_page(context):
    manager = User.objects.filter(memberships__role="manager", memberships__scope="force").first()
    client = context.client_for(manager)
    return lambda: client.get("/register/")


@benchmark("page.register_discrepancies")
def discrepancy_page(context):
    manager = User.objects.filter(memberships__role="manager", memberships__scope="force").first()
    client = context.client_for(manager)
    return lambda: client.get("/register/discrepancies/")
