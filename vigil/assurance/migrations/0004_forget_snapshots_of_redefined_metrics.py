"""The stored figures of the metrics whose definition changed to follow the requirement are
removed, so that no trend mixes the old definition with the new (the sweep stores them
again from today; `vigil assurance --snapshots-from YYYY-MM-DD` computes a past range
again): C and E count investigations and suspects, not review cycles and decision points;
N and O count home visits only, and O's headline counts authorisations made in time."""

from django.db import migrations

REDEFINED = [
    "external_investigations_reviewed_in_time",
    "suspects_decision_recorded",
    "visits_unannounced_in_pairs",
    "noncompliant_visits_authorised",
    "authorisations_dip_checked",
]


def forget(apps, schema_editor):
    MetricSnapshot = apps.get_model("assurance", "MetricSnapshot")
    MetricSnapshot.objects.filter(metric_key__in=REDEFINED).delete()


class Migration(migrations.Migration):
    dependencies = [("assurance", "0003_snapshots_per_force")]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
