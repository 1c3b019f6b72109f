"""Hostile input: control characters and NUL bytes, duplicate JSON keys and bodies too
large are refused before any view runs, with a translated message naming the field, and
nothing is written. (The formula cells of exports are in test_exports.py.)"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.choices import Role
from vigil.accounts.services import api_token_create
from vigil.core.testing import make_user, verified_client
from vigil.people.models import Person

pytestmark = pytest.mark.django_db

PERSON = {"given_name": "Siân", "family_name": "Rowlands", "date_of_birth": "1970-01-01"}


@pytest.fixture
def sergeant(team):
    return make_user(Role.SUPERVISOR, team)


@pytest.fixture
def api(sergeant):
    token = api_token_create(actor=make_user(Role.ADMIN), user=sergeant, name="hostile")[1]
    return Client(headers={"Authorization": f"Bearer {token}"})


def _post_json(client, url, body: str):
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f"])
def test_a_control_character_in_a_json_field_is_a_422_naming_it(api, char):
    body = json.dumps({**PERSON, "given_name": f"Si{char}ân", "confirm_not_duplicate": True})
    response = _post_json(api, "/api/v1/people", body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert [f["field"] for f in error["fields"]] == ["given_name"]
    assert "control character" in error["fields"][0]["message"]
    assert not Person.objects.exists()


def test_tabs_and_new_lines_are_allowed(api):
    body = json.dumps({**PERSON, "family_name": "Row\tlands", "confirm_not_duplicate": True})
    assert _post_json(api, "/api/v1/people", body).status_code == 201


def test_a_control_character_deep_in_a_json_body_is_named_by_its_path(api):
    body = json.dumps(
        {**PERSON, "identifiers": [{"kind": "phone", "value": "0\x0077"}], "team": None}
    )
    response = _post_json(api, "/api/v1/people", body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "identifiers.0.value"


def test_a_duplicate_key_in_json_is_a_422_naming_it(api):
    body = '{"given_name": "Siân", "family_name": "Rowlands", "given_name": "Eira"}'
    response = _post_json(api, "/api/v1/people", body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "given_name"
    assert not Person.objects.exists()


def test_a_nul_in_an_api_query_is_a_422_in_welsh_too(api):
    response = api.get("/api/v1/people", {"q": "Ro\x00w"}, headers={"Accept-Language": "cy"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["fields"][0]["field"] == "q"
    assert error["fields"][0]["message"] == "Tynnwch y nod rheoli (fel beit nwl) o'r gwerth hwn"


def test_a_nul_in_a_page_query_is_the_check_page_naming_the_field(sergeant):
    response = verified_client(sergeant).get(reverse("people:list"), {"q": "Ro\x00w"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Check what you sent" in html and "“q”" in html


def test_a_nul_in_a_form_changes_nothing(sergeant):
    response = verified_client(sergeant).post(
        reverse("people:create"), {**PERSON, "given_name": "Si\x00ân"}
    )
    assert response.status_code == 400 and "“given_name”" in response.content.decode()
    assert not Person.objects.exists()


def test_a_body_too_large_is_refused_before_it_is_read(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = json.dumps({**PERSON, "given_name": "x" * (1024 * 1024)})
    response = _post_json(api, "/api/v1/people", body)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert not Person.objects.exists()


def test_the_limits_are_set():
    from django.conf import settings

    assert settings.VIGIL_MAX_UPLOAD_BYTES == 50 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE > settings.VIGIL_MAX_UPLOAD_BYTES * 4 // 3
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440


def test_pages_and_api_answers_for_a_signed_in_user_are_not_stored(sergeant, api):
    page = verified_client(sergeant).get(reverse("people:list"))
    assert page["Cache-Control"] == "no-store, private"
    assert api.get("/api/v1/people")["Cache-Control"] == "no-store, private"
    assert "no-store" not in Client().get(reverse("accounts:sign-in")).get("Cache-Control", "")


def test_a_file_that_is_not_utf8_is_refused_naming_the_line():
    from vigil.core.imports import decode_text

    problems = []
    assert decode_text(b"a,b\nc,d\n" + b"e,\xff\n", problems) is None
    assert problems == [(3, "The file must be UTF-8 text.")]


def test_an_extract_over_the_row_limit_is_refused_and_writes_nothing(force, monkeypatch):
    from vigil.core.imports import FileRejected
    from vigil.register import importing, services
    from vigil.register.models import Extract
    from vigil.register.tests.helpers import Mosovo, extract_file, row_for

    east = Mosovo(force)
    rows = [row_for(east.nominal()) for _ in range(3)]
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    with pytest.raises(FileRejected) as refused:
        services.extract_import(actor=east.sergeant, filename="x.csv", content=extract_file(rows))
    assert refused.value.problems == [(1, "The file holds more than 2 nominals: split it.")]
    assert not Extract.objects.exists()


def test_a_form_body_the_api_cannot_read_is_its_json_400(api):
    """Found by the fuzz: a broken multipart body was Django's HTML 400 page."""
    response = api.post(
        "/api/v1/people",
        b"--x\r\nContent-Disposition: form-data\r\n\r\nno end",
        content_type="multipart/form-data; boundary=x",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
    assert not Person.objects.exists()


@pytest.mark.parametrize("born", ["0001-01-01", "9999-12-31", "2026-02-30", "99999-01-01"])
def test_a_date_out_of_range_is_a_422_naming_the_field(api, born):
    body = json.dumps({**PERSON, "date_of_birth": born, "confirm_not_duplicate": True})
    response = _post_json(api, "/api/v1/people", body)
    assert response.status_code == 422, response.content
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["date_of_birth"]
    assert not Person.objects.exists()


@pytest.mark.parametrize("page", ["-1", "0", str(2**63), "1" * 40])
def test_a_huge_or_negative_page_number_is_not_a_server_error(api, page):
    response = api.get("/api/v1/people", {"page": page})
    assert response.status_code in (200, 404, 422), response.content
    if response.status_code != 200:
        assert set(response.json()) == {"error"}


def test_a_number_too_big_for_the_database_in_json_is_a_422_naming_it(api):
    body = json.dumps({**PERSON, "identifiers": [{"kind": "phone", "value": "1", "n": 2**70}]})
    response = _post_json(api, "/api/v1/people", body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [
        {"field": "identifiers.0.n", "message": "Enter a smaller number"}
    ]
