"""The wellbeing county's demo units whose use is itself sensitive data (R3, ADR 0017)."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

COUNTY = "org-hva"
CATEGORIES = {"terveys": "health", "mtp": "health", "sosiaali": "social"}


def categories_set(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Unit = apps.get_model("organisations", "Unit")
    for code, category in CATEGORIES.items():
        Unit.objects.filter(organisation__code=COUNTY, code=code, data_category="").update(
            data_category=category
        )


def categories_clear(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Unit = apps.get_model("organisations", "Unit")
    Unit.objects.filter(organisation__code=COUNTY, code__in=list(CATEGORIES)).update(
        data_category=""
    )


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_unit_data_category")]

    operations = [migrations.RunPython(categories_set, categories_clear)]
