"""Forces sharing an installation: nothing of one force reaches another's users.

Two forces are generated (the first through the services, with records of every kind; the
second from copies of its histories), and users of every main role are given force-wide
roles in the second. Each of them then walks every operation of the API schema and every
page URL pattern with the ids of the first force's records: lists, searches and exports
hold none of them, a detail or a write gives 404 (or 403) in the error shape, and nothing
of the first force changes. The walk reads the schema and the URL patterns, so an
operation or page added later is walked without anyone remembering to add it here.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.models import Count, Max
from django.urls import URLPattern, URLResolver, get_resolver

from vigil.accounts.choices import Rank, Role, Scope
from vigil.accounts.models import Force, Team
from vigil.core.testing import make_user, verified_client
from vigil.synthetic.generator import Scale, generate

pytestmark = pytest.mark.django_db

FIRST = Scale(
    forces=1,
    nominals_per_force=8,
    suspects_per_force=3,
    officers_per_team=2,
    referrals_per_week=1,
    referral_years=1,
)
TWO_FORCES = Scale(
    forces=2,
    nominals_per_force=10,
    suspects_per_force=3,
    officers_per_team=2,
    referrals_per_week=1,
    referral_years=1,
    template=FIRST,
)

# The main roles, each given to a user of the second force over the whole force (the
# widest reach a role has within a force).
ROLES = (
    Role.OFFICER,
    Role.SUPERVISOR,
    Role.MANAGER,
    Role.ANALYST,
    Role.WELLBEING,
    Role.AUDITOR,
    Role.ASSURANCE,
    Role.ADMIN,
)
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
REFUSED = {403, 404}
# Answers that refuse before a record is looked up (a body that does not validate, a
# method the address does not take): nothing is read or written.
NOT_REACHED = {400, 405, 422}
SAMPLES_PER_MODEL = 1


@dataclass
class World:
    first: Force
    second: Force
    users: dict[str, object]
    first_ids: dict[str, list[str]]  # model label -> uuids of the first force's records
    second_ids: dict[str, list[str]]
    every_first_id: set[str]
    first_names: set[str]


def _force_path(model) -> str | None:
    """The shortest lookup from a row of `model` to its force's id, through foreign keys
    that are not to users (who may work in more than one force); None when there is none."""
    force_model = Force
    if model is force_model:
        return "pk"
    user_model = apps.get_model("accounts", "User")
    seen = {model}
    queue = deque([(model, "")])
    while queue:
        current, path = queue.popleft()
        if path.count("__") >= 4:
            continue
        for field in current._meta.get_fields():
            if not (field.many_to_one or field.one_to_one) or not field.concrete:
                continue
            target = field.related_model
            if target is None or target is user_model:
                continue
            lookup = f"{path}{field.name}"
            if target is force_model:
                return f"{lookup}_id"
            if target not in seen:
                seen.add(target)
                queue.append((target, lookup + "__"))
    return None


def _force_models() -> list[tuple[type[models.Model], str]]:
    out = []
    for model in apps.get_models():
        if not any(f.name == "uuid" for f in model._meta.concrete_fields):
            continue
        path = _force_path(model)
        if path is not None:
            out.append((model, path))
    return out


def _ids_of(force: Force) -> dict[str, list[str]]:
    out = {}
    for model, path in _force_models():
        ids = [
            str(u)
            for u in model._default_manager.filter(**{path: force.pk})
            .order_by("pk")
            .values_list("uuid", flat=True)
        ]
        if ids:
            out[model._meta.label_lower] = ids
    return out


def _fingerprint(force: Force) -> dict[str, tuple]:
    """Each model's number of the force's rows and their latest change."""
    out = {}
    for model, path in _force_models():
        qs = model._default_manager.filter(**{path: force.pk})
        has_updated = any(f.name == "updated_at" for f in model._meta.concrete_fields)
        agg = qs.aggregate(n=Count("pk"), **({"at": Max("updated_at")} if has_updated else {}))
        out[model._meta.label_lower] = (agg["n"], agg.get("at"))
    return out


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The two forces, generated once for the module inside a transaction rolled back at
    the end."""
    from vigil.people.models import Person

    with django_db_blocker.unblock(), transaction.atomic():
        generate(scale=TWO_FORCES, seed=19)
        first, second = Force.objects.order_by("id")
        team = Team.objects.filter(force=second).order_by("id").first()
        users = {
            role: make_user(
                role,
                team,
                scope=Scope.FORCE,
                rank=Rank.CHIEF_INSPECTOR,
                full_name=f"Second force {role}",
            )
            for role in ROLES
        }
        first_ids = _ids_of(first)
        second_ids = _ids_of(second)
        # A record of the first force may be copied into the second with its uuid only if
        # the generator got it wrong: the walk relies on the uuids being each force's own.
        every_first = {u for ids in first_ids.values() for u in ids}
        assert not every_first & {u for ids in second_ids.values() for u in ids}
        # The family names of the first force's people that nobody of the second force
        # (person or member of staff) has: seeing one is seeing the first force's data.
        from vigil.accounts.models import User

        staff_words = {
            w for n in User.objects.values_list("full_name", flat=True) for w in n.split()
        }
        names = (
            set(
                Person.objects.filter(force=first)
                .exclude(family_name__in=Person.objects.filter(force=second).values("family_name"))
                .values_list("family_name", flat=True)
            )
            - staff_words
        )
        yield World(first, second, users, first_ids, second_ids, every_first, names)
        transaction.set_rollback(True)


# -- what a parameter names ---------------------------------------------------------------


def _norm(word: str) -> str:
    word = word.lower().replace("-", "").replace("_", "")
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("ses"):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def _candidates(param: str, before: str, ids: dict[str, list[str]]) -> list[str]:
    """Model labels whose records `param` (named `param`, after path segment `before`) may
    name: by the parameter's name (`visit_id`), else the segment before it
    (`/visits/<uuid>`); every model when neither matches one."""
    stem = param[:-3] if param.endswith("_id") else param
    words = [_norm(stem)] if stem not in ("uuid", "id", "pk") else []
    words.append(_norm(before))
    for word in words:
        found = [
            label
            for label in ids
            if word and (label.split(".")[1].endswith(word) or word in label.split(".")[1])
        ]
        if found:
            return found
    return list(ids)


def _samples(param: str, before: str, ids: dict[str, list[str]]) -> list[str]:
    out = []
    for label in _candidates(param, before, ids):
        out.extend(ids[label][:SAMPLES_PER_MODEL])
    return out


# -- request bodies from the schema --------------------------------------------------------


def _resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[1]
        spec = schema["components"]["schemas"][name]
    return spec


def _dummy(schema: dict, spec: dict, name: str, world: World):
    """A value for a body field that passes validation: uuids are the first force's
    records of the kind the field names (a team, a nominal, an officer...)."""
    spec = _resolve(schema, spec)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in spec:
            options = [o for o in spec[key] if o.get("type") != "null"]
            return _dummy(schema, options[0], name, world) if options else None
    if "enum" in spec:
        return spec["enum"][0]
    kind = spec.get("type")
    fmt = spec.get("format")
    if kind == "object" or "properties" in spec:
        required = set(spec.get("required", []))
        return {
            key: _dummy(schema, sub, key, world)
            for key, sub in spec.get("properties", {}).items()
            if key in required or _resolve(schema, sub).get("format") == "uuid"
        }
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, spec.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if fmt == "uuid":
        labels = _candidates(name, name, world.first_ids)
        if name in ("assignee", "officer", "user", "supervisor", "practitioner"):
            labels = ["accounts.user"] if "accounts.user" in world.first_ids else labels
        return world.first_ids[labels[0]][0]
    if fmt == "date":
        return "2026-01-05"
    if fmt == "date-time":
        return "2026-01-05T10:00:00Z"
    if fmt == "email":
        return "someone@example.police.uk"
    return "A synthetic probe"[: spec.get("maxLength", 200)]


def _body(schema: dict, operation: dict, world: World):
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return _dummy(schema, content["application/json"]["schema"], "", world)
    return {}


# -- the walk ------------------------------------------------------------------------------


def _first_ids_in(text: str, world: World, sent: set[str]) -> set[str]:
    return (set(UUID_RE.findall(text)) & world.every_first_id) - sent


def _schema():
    from vigil.config.api import api

    return api.get_openapi_schema()


def _api_requests(world: World):
    """(method, path template, url, body, uuids sent) for every operation: each path
    parameter filled with the first force's records of the kind it names."""
    schema = _schema()
    for path, operations in schema["paths"].items():
        if path == "/api/v1/openapi.json":
            continue
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            params = re.findall(r"\{(\w+)\}", path)
            body = _body(schema, operation, world) if method != "get" else None
            sent_in_body = set(UUID_RE.findall(repr(body)))
            if not params:
                yield method, path, path, body, sent_in_body
                continue
            choices: list[list[str]] = []
            for param in params:
                before = path.split("{" + param + "}")[0].rstrip("/").rsplit("/", 1)[-1]
                if param == "letter":
                    choices.append(["A"])
                elif param == "version":
                    choices.append(["1"])
                elif param == "code":
                    choices.append(["no-such-instrument"])
                else:
                    choices.append(_samples(param, before, world.first_ids))
            # Each parameter in turn takes each of its samples (the others their first).
            urls = set()
            for i, values in enumerate(choices):
                for value in values:
                    filled = [c[0] for c in choices]
                    filled[i] = value
                    url = path
                    for param, v in zip(params, filled, strict=True):
                        url = url.replace("{" + param + "}", v)
                    urls.add(url)
            for url in sorted(urls):
                sent = set(UUID_RE.findall(url)) | sent_in_body
                yield method, path, url, body, sent


def _page_patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _page_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _page_requests(world: World):
    """(route, url, uuids sent) for every page, uuids filled with the first force's
    records of the kind the address names (`people/<uuid>/` a person)."""
    routes = sorted(
        r
        for r in set(_page_patterns(get_resolver()))
        if not r.startswith(("api/", "static/", "^static", "account/sign-out", "language/"))
    )
    for route in routes:
        params = list(re.finditer(r"<(?:(\w+):)?(\w+)>", route))
        if not params:
            yield route, "/" + route, set()
            continue
        choices = []
        for m in params:
            converter, name = m.group(1) or "str", m.group(2)
            before = route[: m.start()].rstrip("/").rsplit("/", 1)[-1]
            if converter == "uuid":
                choices.append(_samples(name, before, world.first_ids))
            elif converter == "int":
                choices.append(["1"])
            else:
                choices.append(["A" if name == "letter" else "a"])
        urls = set()
        for i, values in enumerate(choices):
            for value in values:
                filled = [c[0] for c in choices]
                filled[i] = value
                url = route
                for m, v in zip(params, filled, strict=True):
                    url = url.replace(m.group(0), v, 1)
                urls.add("/" + url)
        for url in sorted(urls):
            yield route, url, set(UUID_RE.findall(url))


def _error_shape(response) -> bool:
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    body = response.json()
    return isinstance(body, dict) and {"code", "message"} <= set(body.get("error", {}))


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "ignore")
    return response.content.decode("utf-8", "ignore")


def _leaks_names(text: str, world: World, searched: str = "") -> set[str]:
    """The first force's people's names in `text` (but the one searched for, which the
    page says back in its search box and links)."""
    return {
        n for n in world.first_names if n != searched and re.search(rf"\b{re.escape(n)}\b", text)
    }


def test_the_walk_reaches_records_of_every_kind(world):
    """The first force has records of the kinds the walk must probe, and the walk covers
    the whole API and every part of Vigil's pages."""
    for label in (
        "people.person",
        "offenders.nominal",
        "offenders.visit",
        "referrals.referral",
        "investigations.investigation",
        "duties.duty",
        "accounts.team",
    ):
        assert world.first_ids.get(label), label
    operations = list(_api_requests(world))
    assert len({(m, p) for m, p, *_ in operations}) > 100
    assert len(list(_page_requests(world))) > 100
    # Every parameter names some kind of record by its name or address.
    assert "offenders.visit" in _candidates("visit_id", "visits", world.first_ids)
    assert "people.person" in _candidates("uuid", "people", world.first_ids)


# The audit log still shows a force's auditor (and an administrator, who reads it too) the
# ids of another force's records named in their own users' refused attempts: an open leak
# (issue 19), kept visible here rather than left out of the walk.
AUDIT_LEAK = pytest.mark.xfail(
    strict=True, reason="audit events of refused reads name the other force's record ids"
)
API_ROLES = [
    pytest.param(r, marks=AUDIT_LEAK) if r in (Role.AUDITOR, Role.ADMIN) else r for r in ROLES
]
# The page walk takes about 40 s a role: the roles whose pages differ most (casework,
# supervision, management) walk every page; the API walk covers every role.
PAGE_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.MANAGER)


@pytest.mark.parametrize("role", API_ROLES)
def test_the_api_gives_a_user_of_another_force_nothing_of_this_one(world, role):
    client = verified_client(world.users[role])
    before = _fingerprint(world.first)
    problems = []
    for method, path, url, body, sent in _api_requests(world):
        if method == "get":
            response = client.get(url)
        else:
            response = client.generic(
                method.upper(), url, data=_json(body), content_type="application/json"
            )
        status = response.status_code
        text = _text(response)
        leaked = _first_ids_in(text, world, sent) | _leaks_names(text, world)
        if leaked:
            problems.append((method, url, status, "shows", sorted(leaked)[:3]))
        names_a_record = bool(set(UUID_RE.findall(url)) & world.every_first_id)
        if names_a_record and status not in REFUSED | NOT_REACHED:
            problems.append((method, url, status, "not refused"))
        elif status >= 400 and status != 405 and not _error_shape(response):
            problems.append((method, url, status, "not the error shape"))
    assert _fingerprint(world.first) == before, "a record of the first force changed"
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("role", PAGE_ROLES)
def test_the_pages_give_a_user_of_another_force_nothing_of_this_one(world, role):
    client = verified_client(world.users[role])
    before = _fingerprint(world.first)
    problems = []
    searches = sorted(world.first_names)[:1]
    for route, url, sent in _page_requests(world):
        names_a_record = bool(sent & world.every_first_id)
        attempts = [("get", url)]
        if names_a_record:
            attempts.append(("post", url))
        elif searches:
            attempts.append(("get", f"{url}?q={searches[0]}"))
        for method, address in attempts:
            response = getattr(client, method)(address)
            status = response.status_code
            text = _text(response)
            searched = searches[0] if "?q=" in address else ""
            leaked = _first_ids_in(text, world, sent) | _leaks_names(text, world, searched)
            if leaked:
                problems.append((method, address, status, "shows", sorted(leaked)[:3]))
            if names_a_record and status not in REFUSED | {405}:
                problems.append((method, address, status, "not refused"))
    assert _fingerprint(world.first) == before, "a record of the first force changed"
    assert not problems, "\n".join(map(str, problems))


def _json(body) -> str:
    import json

    return json.dumps(body if body is not None else {})
