"""Core benchmarks: the policies page, audit verification."""

from vigil.accounts.models import User
from vigil.core.bench import benchmark


@benchmark("page.policies")
def policies_page(context):
    client = context.client_for(User.objects.filter(memberships__role="officer").first())
    return lambda: client.get("/policies/")


@benchmark("audit.verify")
def audit_verify(context):
    from vigil.audit.models import AuditEvent
    from vigil.audit.services import verify_chain

    context.notes["audit.verify"] = f"{AuditEvent.objects.count()} events"
    return verify_chain
