"""Duties benchmarks: the work pages, the matrix, the sweep and the duties check."""

from vigil.accounts.models import User
from vigil.core.bench import benchmark


def _supervisor():
    return (
        User.objects.filter(
            memberships__role="supervisor", duties__completed_at__isnull=True
        ).first()
        or User.objects.filter(memberships__role="supervisor").first()
    )


@benchmark("page.my_work")
def my_work(context):
    client = context.client_for(_supervisor())
    return lambda: client.get("/work/")


@benchmark("page.team_work")
def team_work(context):
    client = context.client_for(_supervisor())
    return lambda: client.get("/work/team/")


@benchmark("page.outstanding_matrix_force")
def outstanding(context):
    manager = User.objects.filter(memberships__role="manager", memberships__scope="force").first()
    client = context.client_for(manager)
    return lambda: client.get("/work/outstanding/")


@benchmark("api.outstanding_matrix_force")
def outstanding_api(context):
    manager = User.objects.filter(memberships__role="manager", memberships__scope="force").first()
    client = context.client_for(manager)
    return lambda: client.get("/api/v1/duties/outstanding")


@benchmark("sweep.pass")
def sweep(context):
    from vigil.duties.services import sweep as sweep_pass

    return sweep_pass


@benchmark("duties.check")
def duties_check(context):
    from vigil.duties.checks import duties_check as check

    return check
