"""Snapshots per force: where one database holds several forces, each force's figures are
stored apart. Existing rows belong to the only force when there is one; otherwise they
cannot be attributed and are removed (the sweep and `vigil assurance --snapshots-from`
compute them again)."""

import django.db.models.deletion
from django.db import migrations, models


def attribute(apps, schema_editor):
    Force = apps.get_model("accounts", "Force")
    MetricSnapshot = apps.get_model("assurance", "MetricSnapshot")
    forces = list(Force.objects.values_list("pk", flat=True)[:2])
    if len(forces) == 1:
        MetricSnapshot.objects.update(force_id=forces[0])
    else:
        MetricSnapshot.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_must_change_password"),
        ("assurance", "0002_seed_recommendations_and_points"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="metricsnapshot", name="snapshot_one_per_metric_day"
        ),
        migrations.AddField(
            model_name="metricsnapshot",
            name="force",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.force",
                verbose_name="force",
            ),
        ),
        migrations.RunPython(attribute, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="metricsnapshot",
            name="force",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.force",
                verbose_name="force",
            ),
        ),
        migrations.AlterModelOptions(
            name="metricsnapshot",
            options={
                "ordering": ["force_id", "metric_key", "as_of"],
                "verbose_name": "metric snapshot",
                "verbose_name_plural": "metric snapshots",
            },
        ),
        migrations.AddConstraint(
            model_name="metricsnapshot",
            constraint=models.UniqueConstraint(
                fields=("force", "metric_key", "as_of"), name="snapshot_one_per_force_metric_day"
            ),
        ),
    ]
