"""The OpenAPI schema names each schema once. Ninja names a component after its class,
so two apps' classes of the same name would share one component and one app's answers
would be documented with the other's fields (the fuzz found TeamOut and NotificationOut
so: the accounts and workforce teams, the duties and offenders notifications)."""

import typing

from pydantic import BaseModel

from vigil.config.api import api


def _models(annotation, seen: set):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, seen)
        return
    for arg in typing.get_args(annotation):
        _models(arg, seen)


# Names shared by classes of apps being reworked by others at the time of writing
# (issue #16's report lists them); each is to be renamed in its app, and then removed
# here: the test fails when a name here no longer collides.
# (Offenders' are now NominalReviewIn/Out and ReactiveConditionOut, referrals' Ref is
# ReferralRef, and referrals use the people API's ErrorOut.)
PENDING = {
    "ReviewIn",  # investigations, partners, workforce
    "ReviewOut",  # investigations, partners
}


def test_no_two_schema_classes_share_a_name():
    seen: set = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _models(model, seen)
                for model in (operation.response_models or {}).values():
                    _models(model, seen)
    by_name: dict[str, set] = {}
    for model in seen:
        if model.__module__.startswith("vigil."):
            by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__name__}")
    shared = {name for name, where in by_name.items() if len(where) > 1}
    assert shared - PENDING == set(), {n: by_name[n] for n in shared - PENDING}
    assert PENDING - shared == set(), "no longer shared: take them out of PENDING"


def test_the_schema_documents_the_error_shape_for_every_operation():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("401", "404", "422"):
                ref = operation["responses"][status]["content"]["application/json"]["schema"]
                assert ref == {"$ref": "#/components/schemas/Error"}, (method, path, status)
