"""People benchmarks: the list, a search, a record page."""

from vigil.accounts.models import User
from vigil.core.bench import benchmark
from vigil.people.models import Person


def _manager():
    return User.objects.filter(memberships__role="manager", memberships__scope="force").first()


@benchmark("page.people_list")
def people_list(context):
    client = context.client_for(_manager())
    return lambda: client.get("/people/")


@benchmark("page.people_search")
def people_search(context):
    client = context.client_for(_manager())
    name = Person.objects.filter(is_restricted=False).values_list("family_name", flat=True).first()
    return lambda: client.get("/people/", {"q": name})


@benchmark("page.person_record")
def person_record(context):
    manager = _manager()
    client = context.client_for(manager)
    force = manager.memberships.select_related("team").first().team.force_id
    person = Person.objects.filter(is_restricted=False, force_id=force).first()

    def view():
        response = client.get(f"/people/{person.uuid}/")
        assert response.status_code == 200, response.status_code

    return view


@benchmark("api.people_search")
def people_api(context):
    client = context.client_for(_manager())
    return lambda: client.get("/api/v1/people", {"q": "jones"})
