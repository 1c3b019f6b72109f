"""When a referral was linked to an earlier one, so that assurance point A reads "not
linked" as it was at a past moment. Backfilled from the best timestamp held: the audited
link (`referral.link`), else the referral's recording (linked at receipt)."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    linked = Referral.objects.filter(linked_to__isnull=False, linked_at__isnull=True)
    for referral in linked.iterator():
        event = (
            AuditEvent.objects.filter(action="referral.link", target_id=str(referral.uuid))
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        referral.linked_at = event or referral.created_at
        referral.save(update_fields=["linked_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_auditchainhead_forward_only_triggers"),
        ("referrals", "0003_add_referral_received_at_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="linked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="linked at"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
