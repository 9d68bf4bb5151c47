"""The log head row exists from the start, so concurrent first appends never race to create it."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create_head(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("audit", "LogHead").objects.get_or_create(id=1)


def remove_head(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    log_entries = apps.get_model("audit", "AccessLogEntry")
    if not log_entries.objects.exists():
        apps.get_model("audit", "LogHead").objects.filter(id=1).delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]
    operations = [migrations.RunPython(create_head, remove_head)]
