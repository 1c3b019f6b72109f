from django.db import migrations

from vigil.audit.triggers import event_create_statements, event_drop_statements


def install(apps, schema_editor):
    for sql in event_create_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql)
    head = apps.get_model("audit", "AuditChainHead")
    head.objects.get_or_create(pk=1, defaults={"last_event_id": 0, "last_hash": "0" * 64})


def remove(apps, schema_editor):
    for sql in event_drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
