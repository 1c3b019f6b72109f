"""Duty revisions (a duty's risk level and due date from a moment on) and "not yet
assessed" as a duty risk level.

Backfill, from the best timestamps held: a duty's first revision is at its recording, with
the risk level and due date its audited opening gave (else its values now); each audited
reschedule (`duty.reschedule`) and change of its person's risk level (`duty.risk_level`,
while it was open) adds one. The open work of a nominal whose risk has never been
assessed (no risk level) becomes "not yet assessed" rather than low.
"""

from datetime import datetime

import django.db.models.deletion
import uuid
from django.db import migrations, models


UNASSESSED = "unassessed"


def _unassessed(apps, Duty):
    try:
        Nominal = apps.get_model("offenders", "Nominal")
    except LookupError:
        return 0
    people = Nominal.objects.filter(risk_level="").values("person_id")
    return Duty.objects.filter(
        kind__startswith="offenders.", person_id__in=people, completed_at__isnull=True
    ).update(risk_level=UNASSESSED)


def backfill(apps, schema_editor):
    Duty = apps.get_model("duties", "Duty")
    DutyRevision = apps.get_model("duties", "DutyRevision")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    _unassessed(apps, Duty)
    revisions = []
    for duty in Duty.objects.order_by("pk").iterator():
        key = str(duty.uuid)
        events = list(
            AuditEvent.objects.filter(
                target_id=key, action__in=["duty.open", "duty.reschedule"]
            ).order_by("at", "id")
        )
        opened = next((e for e in events if e.action == "duty.open"), None)
        moves = [e for e in events if e.action == "duty.reschedule"]
        risk = duty.risk_level
        if duty.risk_level != UNASSESSED and opened and opened.changes.get("risk_level"):
            risk = opened.changes["risk_level"]
        due = duty.due_at
        if moves:
            try:
                due = datetime.fromisoformat(moves[0].changes["due_at"][0])
            except (KeyError, IndexError, TypeError, ValueError):
                due = duty.due_at
        changes = [(e.at, "due_at", e.changes.get("due_at", [None, None])[-1]) for e in moves]
        if duty.person_id is not None:
            person = apps.get_model("people", "Person").objects.filter(pk=duty.person_id)
            person_uuid = person.values_list("uuid", flat=True).first()
            risk_events = AuditEvent.objects.filter(
                action="duty.risk_level",
                target_id=str(person_uuid),
                at__gt=duty.created_at,
            ).order_by("at", "id")
            if duty.completed_at is not None:
                risk_events = risk_events.filter(at__lt=duty.completed_at)
            for e in risk_events:
                kinds = e.changes.get("kinds")
                if kinds in (None, "all") or duty.kind in (kinds or []):
                    changes.append((e.at, "risk_level", e.changes.get("risk_level")))
        revisions.append(
            DutyRevision(duty=duty, effective_at=duty.created_at, risk_level=risk, due_at=due)
        )
        for when, name, value in sorted(changes, key=lambda c: c[0]):
            if not value:
                continue
            if name == "due_at":
                try:
                    due = datetime.fromisoformat(value)
                except (TypeError, ValueError):
                    continue
            else:
                risk = value
            revisions.append(
                DutyRevision(duty=duty, effective_at=when, risk_level=risk, due_at=due)
            )
        if len(revisions) >= 1000:
            DutyRevision.objects.bulk_create(revisions)
            revisions = []
    DutyRevision.objects.bulk_create(revisions)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_auditchainhead_forward_only_triggers"),
        ("people", "0003_alias_identifier_removal_child_link_dates"),
        ("offenders", "0004_add_visit_visited_index"),
        ("duties", "0004_add_duty_kind_completed_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="duty",
            name="risk_level",
            field=models.CharField(
                choices=[
                    ("very_high", "Very high"),
                    ("high", "High"),
                    ("medium", "Medium"),
                    ("low", "Low"),
                    ("unassessed", "Not yet assessed"),
                ],
                default="low",
                max_length=10,
                verbose_name="risk level",
            ),
        ),
        migrations.CreateModel(
            name="DutyRevision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "uuid",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("effective_at", models.DateTimeField(verbose_name="from")),
                (
                    "risk_level",
                    models.CharField(
                        choices=[
                            ("very_high", "Very high"),
                            ("high", "High"),
                            ("medium", "Medium"),
                            ("low", "Low"),
                            ("unassessed", "Not yet assessed"),
                        ],
                        max_length=10,
                        verbose_name="risk level",
                    ),
                ),
                ("due_at", models.DateTimeField(verbose_name="due")),
                (
                    "duty",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="revisions",
                        to="duties.duty",
                        verbose_name="duty",
                    ),
                ),
            ],
            options={
                "verbose_name": "duty revision",
                "verbose_name_plural": "duty revisions",
                "ordering": ["duty", "effective_at", "id"],
                "indexes": [
                    models.Index(fields=["duty", "effective_at"], name="duty_revision_at_idx")
                ],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
