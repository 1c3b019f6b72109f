"""The recommendation register: seeded from the source document, kept by the assurance
office through audited services."""

import datetime as dt

import pytest
from django.utils import translation

from vigil.accounts.choices import Role
from vigil.assurance import services
from vigil.assurance.models import NarrativeUpdate, Point, Recommendation
from vigil.audit.models import AuditEvent
from vigil.core.exceptions import PermissionDenied, ValidationFailed
from vigil.core.testing import make_team, make_user

DEADLINES = {
    1: dt.date(2026, 10, 31),
    2: dt.date(2027, 4, 30),
    4: dt.date(2026, 10, 31),
    5: dt.date(2027, 4, 30),
    6: dt.date(2026, 10, 30),
    8: dt.date(2026, 10, 31),
    10: dt.date(2026, 10, 31),
    15: dt.date(2026, 10, 31),
    16: dt.date(2026, 10, 31),
}
POINTS_OF = {
    1: "ABC",
    2: "D",
    4: "EF",
    5: "G",
    6: "HI",
    8: "JKLM",
    10: "NOPQ",
    15: "RS",
    16: "T",
}


@pytest.mark.django_db
def test_it_seeds_every_recommendation_and_point_from_the_source_document():
    assert dict(Recommendation.objects.values_list("number", "deadline")) == DEADLINES
    for number, letters in POINTS_OF.items():
        got = "".join(
            Point.objects.filter(recommendation__number=number)
            .order_by("letter")
            .values_list("letter", flat=True)
        )
        assert got == letters
    assert Point.objects.count() == 20
    a = Point.objects.get(letter="A")
    assert a.text_en.startswith("Review existing practices to make sure they use the Kent")
    assert "Caint" in a.text_cy
    assert a.owner_en == "VAWG Delivery Group (chaired by the Deputy Chief Constable)"
    assert a.deadline == dt.date(2026, 10, 31)
    assert not Point.objects.filter(text_cy="").exists()
    assert Point.objects.get(letter="H").deadline == dt.date(2026, 10, 30)
    assert Point.objects.get(letter="G").deadline == dt.date(2027, 4, 30)


@pytest.fixture
def office(force):
    return make_user(Role.ASSURANCE, make_team(force, name="PCC office", kind="other"))


def test_the_office_changes_a_point_status_and_owner_audited(office):
    point = Point.objects.get(letter="B")
    services.point_update(
        actor=office, point=point, status="implemented", owner_en="Head of PPU", owner_cy="Pennaeth"
    )
    point.refresh_from_db()
    assert (point.status, point.owner_en, point.owner_cy) == (
        "implemented",
        "Head of PPU",
        "Pennaeth",
    )
    event = AuditEvent.objects.filter(action="assurance.point_update").latest("pk")
    assert event.changes["status"] == ["in_progress", "implemented"]
    assert event.actor_id == office.pk


def test_it_refuses_a_bad_status_and_changes_nothing(office):
    point = Point.objects.get(letter="B")
    with pytest.raises(ValidationFailed) as exc:
        services.point_update(actor=office, point=point, status="done", owner_en="")
    assert {f for f, _m in exc.value.errors} == {"status", "owner_en"}
    point.refresh_from_db()
    assert point.status == "in_progress"
    assert not AuditEvent.objects.filter(action="assurance.point_update").exists()


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.MANAGER, Role.OFFICER, Role.AUDITOR])
def test_only_the_office_changes_the_register(force, role):
    user = make_user(role, make_team(force))
    point = Point.objects.get(letter="C")
    with pytest.raises(PermissionDenied):
        services.point_update(actor=user, point=point, status="verified", owner_en="X")
    with pytest.raises(PermissionDenied):
        services.narrative_add(actor=user, point=point, text="Progress.")
    assert not NarrativeUpdate.objects.exists()


def test_the_office_adds_dated_narrative_updates(office, frozen):
    point = Point.objects.get(letter="F")
    update = services.narrative_add(
        actor=office, point=point, text="Bail checks audited.", written_on=dt.date(2026, 12, 1)
    )
    assert update.author == office
    assert list(point.updates.values_list("text", flat=True)) == ["Bail checks audited."]
    event = AuditEvent.objects.filter(action="assurance.narrative_add").latest("pk")
    assert event.changes["point"] == "F"
    with pytest.raises(ValidationFailed):
        services.narrative_add(
            actor=office, point=point, text="Future.", written_on=dt.date(2027, 1, 1)
        )
    with pytest.raises(ValidationFailed):
        services.narrative_add(actor=office, point=point, text="  ")


@pytest.mark.django_db
def test_points_give_their_welsh_text_in_welsh():
    point = Point.objects.get(letter="Q")
    with translation.override("cy"):
        assert point.text("cy").startswith("Eu bod yn cynnal ac yn asesu gwiriadau")
        assert point.owner("cy").startswith("Grŵp Cyflawni")
    assert point.text("en").startswith("They carry out and assess")
