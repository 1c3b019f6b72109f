"""Every error the API gives has one shape, {"error": {"code", "message", "fields"}}, as
JSON and in the caller's language: its own errors, ninja's (a body that is not JSON, a
method not allowed, validation), an unknown address, and anything unexpected (500)."""

import datetime as dt
import enum
import logging
import uuid
from typing import Literal

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _
from pydantic import BaseModel, Field, ValidationError, field_validator

from vigil.accounts.choices import Role
from vigil.core.api import validation_message
from vigil.core.testing import make_user, verified_client
from vigil.people.models import Person

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "cy"]


def _in(language: str, message: str, **values) -> str:
    """`message` as the API should give it in `language`."""
    with translation.override(language):
        text = _(message)
    return text % values if values else text


def _client(user, language: str, **kwargs) -> Client:
    client = verified_client(user)
    for key, value in kwargs.items():
        setattr(client, key, value)
    client.cookies["vigil_language"] = language
    return client


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


@pytest.fixture
def officer(team):
    return make_user(Role.OFFICER, team)


# --- an unknown address, a method not allowed, a body that is not JSON -------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "method,url",
    [
        ("get", "/api/v1/nothing/here"),
        ("post", "/api/v1/nothing"),
        ("delete", "/api/v1/people/extra/parts/here"),
        ("get", "/api/v1/"),
        ("get", "/api/v1/people/"),
    ],
)
def test_an_unknown_address_is_a_json_404(officer, language, method, url):
    error = _error(getattr(_client(officer, language), method)(url), 404)
    assert error == {"code": "not_found", "message": _in(language, "Not found."), "fields": []}
    if language == "cy":
        assert error["message"] == "Heb ei ganfod."


def test_an_unknown_address_is_a_json_404_without_signing_in():
    error = _error(Client().get("/api/v1/nothing/here"), 404)
    assert error["code"] == "not_found"


def test_the_pages_404_is_still_the_page(officer):
    response = verified_client(officer).get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_method_not_allowed_is_a_json_405(officer, language):
    response = _client(officer, language).put("/api/v1/people", {}, content_type="application/json")
    error = _error(response, 405)
    assert error["code"] == "method_not_allowed" and error["fields"] == []
    assert error["message"] == _in(
        language,
        "%(method)s is not allowed here. Use %(allowed)s.",
        method="PUT",
        allowed="GET, POST",
    )
    assert response["Allow"] == "GET, POST"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_body_that_is_not_json_is_a_json_400(officer, team, language):
    response = _client(officer, language).post(
        "/api/v1/people", '{"given_name": "Alex",', content_type="application/json"
    )
    error = _error(response, 400)
    assert error == {
        "code": "bad_request",
        "message": _in(language, "The data sent could not be read. Send valid JSON."),
        "fields": [],
    }
    assert "parse" not in error["message"]
    assert not Person.objects.exists()


def test_a_failed_csrf_check_is_a_json_403(officer):
    client = verified_client(officer)
    client.handler.enforce_csrf_checks = True
    response = client.post(
        "/api/v1/people",
        {"given_name": "Alex", "family_name": "Example"},
        content_type="application/json",
    )
    error = _error(response, 403)
    assert error["code"] == "csrf_failed"
    assert not Person.objects.exists()


# --- anything unexpected --------------------------------------------------------------


@pytest.fixture
def broken(monkeypatch):
    """The instrument list fails with an error that names something secret."""

    def fail():
        raise RuntimeError("secret detail: /srv/vigil/definitions")

    monkeypatch.setattr("vigil.instruments.api.engine.registry", fail)
    return "/api/v1/instruments"


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unexpected_error_is_a_json_500_logged_and_without_detail(
    officer, broken, language, caplog
):
    client = _client(officer, language, raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="vigil.core.api"):
        response = client.get(broken)
    error = _error(response, 500)
    reference = response["X-Request-ID"]
    assert error == {
        "code": "server_error",
        "message": _in(
            language,
            "Something went wrong. Try again later. If it keeps happening, tell your "
            "force's IT service desk, quoting reference %(reference)s.",
            reference=reference,
        ),
        "fields": [],
    }
    assert "secret" not in response.content.decode() and "Traceback" not in error["message"]
    [record] = [r for r in caplog.records if r.name == "vigil.core.api"]
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert "secret detail" in str(record.exc_info[1]) and reference in record.getMessage()


def test_the_test_client_still_raises_an_unexpected_error(officer, broken):
    """As for pages: a test that hits a bug sees the exception, not only a 500."""
    with pytest.raises(RuntimeError, match="secret detail"):
        verified_client(officer).get(broken)


# --- per-field validation messages, through real operations --------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_field_messages_from_a_body_are_translated(officer, team, language):
    response = _client(officer, language).post(
        "/api/v1/people",
        {"given_name": 5, "date_of_birth": "soon", "confirm_not_duplicate": "perhaps"},
        content_type="application/json",
    )
    error = _error(response, 422)
    assert error["code"] == "validation_failed"
    assert error["message"] == _in(language, "Some of the data sent is not valid.")
    assert {f["field"]: f["message"] for f in error["fields"]} == {
        "given_name": _in(language, "Enter text"),
        "family_name": _in(language, "Enter a value: this field is required"),
        "date_of_birth": _in(language, "Enter a real date, for example 2026-12-01"),
        "confirm_not_duplicate": _in(language, "Enter true or false"),
    }
    assert not any("Input should" in f["message"] for f in error["fields"])
    if language == "cy":
        assert error["message"] == "Nid yw rhywfaint o'r data a anfonwyd yn ddilys."
    assert not Person.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_field_messages_from_the_query_and_path_are_translated(team, language):
    client = _client(make_user(Role.AUDITOR, team), language)
    error = _error(client.get("/api/v1/audit/events?page=0"), 422)
    assert error["fields"] == [
        {"field": "page", "message": _in(language, "Enter %(limit)s or more", limit=1)}
    ]
    error = _error(client.get("/api/v1/audit/events?page=two"), 422)
    assert error["fields"] == [{"field": "page", "message": _in(language, "Enter a whole number")}]
    error = _error(client.get("/api/v1/audit/events?date_from=2026-02-30"), 422)
    assert error["fields"][0]["message"] == _in(
        language, "Enter a real date, for example 2026-12-01"
    )
    officer = _client(make_user(Role.OFFICER, team), language)
    error = _error(officer.get("/api/v1/instruments/assessments/not-an-id"), 422)
    assert error["fields"] == [{"field": "uuid", "message": _in(language, "Enter a valid id")}]


# --- every common pydantic error type, mapped ----------------------------------------


class Colour(enum.StrEnum):
    RED = "red"
    BLUE = "blue"


class Everything(BaseModel):
    missing: str
    text: str
    number: int
    day: dt.date
    day_from_datetime: dt.date
    moment: dt.datetime
    flag: bool
    ident: uuid.UUID
    colour: Colour
    size: Literal["small", "large"]
    at_least: int = Field(ge=1)
    at_most: int = Field(le=10)
    long: str = Field(max_length=3)
    short: str = Field(min_length=2)
    checked: int

    @field_validator("checked")
    @classmethod
    def refuse(cls, value):
        raise ValueError("internal rule 42 says no")


BAD = {
    "text": 5,
    "number": "many",
    "day": "soon",
    "day_from_datetime": "2026-01-01T25:00",
    "moment": "later",
    "flag": "perhaps",
    "ident": "nope",
    "colour": "green",
    "size": "medium",
    "at_least": 0,
    "at_most": 11,
    "long": "abcd",
    "short": "a",
    "checked": 1,
}

EXPECTED = {
    "missing": ("missing", "Enter a value: this field is required", {}),
    "text": ("string_type", "Enter text", {}),
    "number": ("int_parsing", "Enter a whole number", {}),
    "day": ("date_from_datetime_parsing", "Enter a real date, for example 2026-12-01", {}),
    "day_from_datetime": (
        "date_from_datetime_parsing",
        "Enter a real date, for example 2026-12-01",
        {},
    ),
    "moment": (
        "datetime_from_date_parsing",
        "Enter a real date and time, for example 2026-12-01T09:30:00Z",
        {},
    ),
    "flag": ("bool_parsing", "Enter true or false", {}),
    "ident": ("uuid_parsing", "Enter a valid id", {}),
    "colour": ("enum", "Choose one of: %(choices)s", {"choices": "red, blue"}),
    "size": ("literal_error", "Choose one of: %(choices)s", {"choices": "small, large"}),
    "at_least": ("greater_than_equal", "Enter %(limit)s or more", {"limit": 1}),
    "at_most": ("less_than_equal", "Enter %(limit)s or less", {"limit": 10}),
    "long": ("string_too_long", "Enter no more than %(max)s characters", {"max": 3}),
    "short": ("string_too_short", "Enter at least %(min)s characters", {"min": 2}),
    "checked": ("value_error", "This value is not valid", {}),
}


def _errors() -> dict[str, dict]:
    with pytest.raises(ValidationError) as caught:
        Everything(**BAD)
    errors = {}
    for err in caught.value.errors(include_url=False):
        err.pop("input", None)
        errors[err["loc"][0]] = err
    return errors


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("field", sorted(EXPECTED))
def test_each_common_validation_error_has_a_translated_message(field, language):
    err = _errors()[field]
    kind, message, values = EXPECTED[field]
    assert err["type"] == kind
    with translation.override(language):
        text = validation_message(err)
    assert text == _in(language, message, **values)
    assert "Input should" not in text and "internal rule" not in text


def test_a_date_message_is_welsh_in_welsh():
    with translation.override("cy"):
        text = validation_message(_errors()["day"])
    assert text == "Rhowch ddyddiad go iawn, er enghraifft 2026-12-01"


@pytest.mark.parametrize(
    "err,expected",
    [
        ({"type": "greater_than", "ctx": {"gt": 0}}, "Enter more than 0"),
        ({"type": "less_than", "ctx": {"lt": 5}}, "Enter less than 5"),
        ({"type": "float_parsing"}, "Enter a number"),
        ({"type": "list_type"}, "Send a list"),
        ({"type": "model_attributes_type"}, "Send an object"),
        ({"type": "literal_error", "ctx": {}}, "Choose one of the allowed values"),
        ({"type": "something_new"}, "This value is not valid"),
    ],
)
def test_other_error_types_have_a_message_too(err, expected):
    assert validation_message(err) == expected
