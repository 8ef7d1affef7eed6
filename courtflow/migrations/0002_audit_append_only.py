"""Make the audit table append-only in the database itself (SQLite and PostgreSQL)."""

from django.db import migrations


def install(apps, schema_editor):
    from courtflow import audit_triggers

    audit_triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    from courtflow import audit_triggers

    audit_triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("courtflow", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
