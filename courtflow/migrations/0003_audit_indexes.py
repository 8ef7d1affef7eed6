"""Fewer indexes on the audit table (it grows by thousands of rows per sweep), and the
append-only triggers installed again: SQLite rebuilds a table to alter a column, and the
rebuild drops the triggers on it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def reinstall_triggers(apps, schema_editor):
    from courtflow import audit_triggers

    audit_triggers.install(schema_editor.connection)  # idempotent on both databases


class Migration(migrations.Migration):
    dependencies = [
        ("courtflow", "0002_audit_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(max_length=64, verbose_name="action"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="The signed-in user who made the change; empty for the system (the sweep).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="actor",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="court_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="court"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["court_id", "at"], name="audit_court_at"),
        ),
        migrations.RunPython(reinstall_triggers, migrations.RunPython.noop),
    ]
