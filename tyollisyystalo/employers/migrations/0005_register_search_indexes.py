"""Indexes for the register page at 200,000 contacts (issue 14, "Measured").

- The owner's notices read only the contacts logged since their last visit: by employer and
  creation time (the plan SQLite takes) and by creation time (PostgreSQL's).
- On PostgreSQL only: a trigram index for the name search (``UPPER(name) LIKE '%…%'``, which
  is what ``icontains`` becomes) and a pattern index for the Y-tunnus prefix search, so that a
  search does not read the whole team's register. They are outside the model state because
  SQLite has neither; ``pg_trgm`` is a trusted extension (PostgreSQL 13+): the database owner
  may create it.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

POSTGRES_UP = [
    "CREATE INDEX employer_name_trgm ON employers_employer USING gin "
    "(UPPER(name::text) gin_trgm_ops)",
    "CREATE INDEX employer_business_id_prefix ON employers_employer "
    "(business_id varchar_pattern_ops)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS employer_name_trgm",
    "DROP INDEX IF EXISTS employer_business_id_prefix",
]


def _run(statements: list[str]):  # type: ignore[no-untyped-def]
    def run(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0006_relationship_start_basis"),
        ("employers", "0004_callback_index"),
        ("organisations", "0003_demo_unit_data_categories"),
        ("staff", "0002_steering_group_role"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="employercontact",
            index=models.Index(fields=["employer", "created_at"], name="contact_employer_created"),
        ),
        migrations.AddIndex(
            model_name="employercontact",
            index=models.Index(fields=["created_at"], name="contact_created"),
        ),
        TrigramExtension(),  # does nothing on other databases than PostgreSQL
        migrations.RunPython(_run(POSTGRES_UP), _run(POSTGRES_DOWN)),
    ]
