from django.db import migrations

from vigil.audit.triggers import head_create_statements, head_drop_statements


def install(apps, schema_editor):
    for sql in head_create_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql)


def remove(apps, schema_editor):
    for sql in head_drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    """The chain head refuses DELETE (and TRUNCATE on PostgreSQL) and any UPDATE that does
    not move it to a later event, so removed last events cannot be hidden by moving it back."""

    dependencies = [("audit", "0002_auditevent_append_only_triggers")]

    operations = [migrations.RunPython(install, remove)]
