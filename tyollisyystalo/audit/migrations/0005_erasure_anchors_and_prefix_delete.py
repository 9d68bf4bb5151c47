"""Signed erasure anchors, and DELETE of log entries only at or below their chain's anchor.

ADR 0024: after its retention period a chain's oldest entries (a prefix, ``seq`` ≤ N) may be
deleted once an anchor for N is written; UPDATE and TRUNCATE of the log stay refused, and the
anchors themselves are append-only. Both databases; the SQLite statements are kept here for the
test fixtures that lift the triggers around a flush (tests/browser, tests/live).
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

LOG_TABLES = ("audit_accesslogentry", "audit_logerasureanchor")

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION audit_access_log_delete_anchored() RETURNS trigger AS $$
BEGIN
    IF OLD.seq <= COALESCE(
        (SELECT MAX(a.seq) FROM audit_logerasureanchor a WHERE a.chain = OLD.chain), 0
    ) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'access log entries are append-only: only entries at or below their '
        'chain''s erasure anchor may be deleted';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_accesslogentry_no_update ON audit_accesslogentry;
CREATE TRIGGER audit_accesslogentry_no_update BEFORE UPDATE ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION audit_access_log_append_only();
CREATE TRIGGER audit_accesslogentry_no_delete BEFORE DELETE ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION audit_access_log_delete_anchored();
CREATE TRIGGER audit_logerasureanchor_no_change BEFORE UPDATE OR DELETE ON audit_logerasureanchor
    FOR EACH ROW EXECUTE FUNCTION audit_access_log_append_only();
CREATE TRIGGER audit_logerasureanchor_no_truncate BEFORE TRUNCATE ON audit_logerasureanchor
    FOR EACH STATEMENT EXECUTE FUNCTION audit_access_log_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS audit_logerasureanchor_no_truncate ON audit_logerasureanchor;
DROP TRIGGER IF EXISTS audit_logerasureanchor_no_change ON audit_logerasureanchor;
DROP TRIGGER IF EXISTS audit_accesslogentry_no_delete ON audit_accesslogentry;
DROP TRIGGER IF EXISTS audit_accesslogentry_no_update ON audit_accesslogentry;
CREATE TRIGGER audit_accesslogentry_no_update BEFORE UPDATE OR DELETE ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION audit_access_log_append_only();
DROP FUNCTION IF EXISTS audit_access_log_delete_anchored();
"""
SQLITE_UP = [
    """CREATE TRIGGER audit_accesslogentry_no_update BEFORE UPDATE ON audit_accesslogentry
    BEGIN SELECT RAISE(ABORT, 'access log entries are append-only'); END;""",
    """CREATE TRIGGER audit_accesslogentry_no_delete BEFORE DELETE ON audit_accesslogentry
    WHEN OLD."seq" > COALESCE(
        (SELECT MAX(a."seq") FROM audit_logerasureanchor a WHERE a."chain" = OLD."chain"), 0
    )
    BEGIN SELECT RAISE(ABORT, 'access log entries are append-only'); END;""",
    """CREATE TRIGGER audit_logerasureanchor_no_update BEFORE UPDATE ON audit_logerasureanchor
    BEGIN SELECT RAISE(ABORT, 'log erasure anchors are append-only'); END;""",
    """CREATE TRIGGER audit_logerasureanchor_no_delete BEFORE DELETE ON audit_logerasureanchor
    BEGIN SELECT RAISE(ABORT, 'log erasure anchors are append-only'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_accesslogentry_no_update;",
    "DROP TRIGGER IF EXISTS audit_accesslogentry_no_delete;",
    "DROP TRIGGER IF EXISTS audit_logerasureanchor_no_update;",
    "DROP TRIGGER IF EXISTS audit_logerasureanchor_no_delete;",
]
SQLITE_BEFORE = [
    """CREATE TRIGGER audit_accesslogentry_no_update BEFORE UPDATE ON audit_accesslogentry
    BEGIN SELECT RAISE(ABORT, 'access log entries are append-only'); END;""",
    """CREATE TRIGGER audit_accesslogentry_no_delete BEFORE DELETE ON audit_accesslogentry
    BEGIN SELECT RAISE(ABORT, 'access log entries are append-only'); END;""",
]


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN + SQLITE_UP:
            schema_editor.execute(statement)


def remove(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN + SQLITE_BEFORE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_one_chain_per_organisation")]

    operations = [
        migrations.CreateModel(
            name="LogErasureAnchor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("chain", models.CharField(max_length=40, verbose_name="ketju")),
                (
                    "seq",
                    models.BigIntegerField(verbose_name="poistettu järjestysnumeroon asti"),
                ),
                (
                    "hash",
                    models.CharField(max_length=64, verbose_name="viimeisen poistetun tiiviste"),
                ),
                ("erased_count", models.BigIntegerField(verbose_name="poistettuja merkintöjä")),
                (
                    "newest_erased_at",
                    models.DateTimeField(verbose_name="uusimman poistetun aika"),
                ),
                ("created_at", models.DateTimeField(verbose_name="luotu")),
                ("key_id", models.CharField(max_length=8, verbose_name="avaimen tunniste")),
                ("signature", models.CharField(max_length=64, verbose_name="allekirjoitus")),
            ],
            options={
                "verbose_name": "lokin poistoankkuri",
                "verbose_name_plural": "lokin poistoankkurit",
                "ordering": ["chain", "-seq"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("chain", "seq"), name="log_erasure_anchor_chain_seq"
                    )
                ],
            },
        ),
        migrations.RunPython(install, remove),
    ]
