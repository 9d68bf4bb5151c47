"""One chain and head row per register keeper (ADR 0019).

The entries written so far stay as they are, in the chain ``legacy``: their links and HMACs are
kept, verified as before, and that chain's head is the old single head row. Re-chaining them
would have meant recomputing every link with the key, erasing the evidence the old chain holds.
New entries go to the chain of the actor's organisation or to ``system``.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# SQLite rebuilds the table to add the column; the append-only triggers go with the old table.
SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS audit_accesslogentry_no_update;",
    "DROP TRIGGER IF EXISTS audit_accesslogentry_no_delete;",
    """CREATE TRIGGER audit_accesslogentry_no_update BEFORE UPDATE ON audit_accesslogentry
    BEGIN SELECT RAISE(ABORT, 'access log entries are append-only'); END;""",
    """CREATE TRIGGER audit_accesslogentry_no_delete BEFORE DELETE ON audit_accesslogentry
    BEGIN SELECT RAISE(ABORT, 'access log entries are append-only'); END;""",
]


def legacy_head(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    old = apps.get_model("audit", "LogHead").objects.filter(id=1).first()
    if old is not None and old.seq > 0:
        apps.get_model("audit", "ChainHead").objects.create(
            chain="legacy", organisation_id=None, seq=old.seq, hash=old.hash
        )


def single_head(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    heads = apps.get_model("audit", "ChainHead").objects
    if heads.exclude(chain="legacy").exclude(seq=0).exists():
        raise RuntimeError("Entries of per-organisation chains cannot go back to a single chain.")
    legacy = heads.filter(chain="legacy").first()
    apps.get_model("audit", "LogHead").objects.update_or_create(
        id=1, defaults={"seq": legacy.seq if legacy else 0, "hash": legacy.hash if legacy else "0" * 64}
    )


def sqlite_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_log_head_row")]

    operations = [
        migrations.AddField(
            model_name="accesslogentry",
            name="chain",
            field=models.CharField(default="legacy", max_length=40, verbose_name="ketju"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="seq",
            field=models.BigIntegerField(verbose_name="järjestysnumero"),
        ),
        migrations.RemoveIndex(model_name="accesslogentry", name="log_actor_seq"),
        migrations.AddIndex(
            model_name="accesslogentry",
            index=models.Index(fields=["actor_user_id", "-at"], name="log_actor_at"),
        ),
        migrations.AddConstraint(
            model_name="accesslogentry",
            constraint=models.UniqueConstraint(fields=["chain", "seq"], name="log_chain_seq"),
        ),
        migrations.AlterModelOptions(
            name="accesslogentry",
            options={
                "ordering": ["-at", "-id"],
                "verbose_name": "lokimerkintä",
                "verbose_name_plural": "lokimerkinnät",
            },
        ),
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                (
                    "chain",
                    models.CharField(
                        max_length=40, primary_key=True, serialize=False, verbose_name="ketju"
                    ),
                ),
                (
                    "organisation_id",
                    models.IntegerField(null=True, verbose_name="organisaation tunniste"),
                ),
                ("seq", models.BigIntegerField(default=0, verbose_name="viimeisin järjestysnumero")),
                (
                    "hash",
                    models.CharField(
                        default="0" * 64, max_length=64, verbose_name="viimeisin tiiviste"
                    ),
                ),
            ],
            options={
                "verbose_name": "lokiketjun pää",
                "verbose_name_plural": "lokiketjujen päät",
            },
        ),
        migrations.CreateModel(
            name="LogCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("chain", models.CharField(max_length=40, verbose_name="ketju")),
                ("seq", models.BigIntegerField(verbose_name="järjestysnumero")),
                ("hash", models.CharField(max_length=64, verbose_name="tiiviste")),
                ("at", models.DateTimeField(verbose_name="aika")),
                ("sinks", models.CharField(max_length=300, verbose_name="kohteet")),
            ],
            options={
                "verbose_name": "lokin tarkistuspiste",
                "verbose_name_plural": "lokin tarkistuspisteet",
                "indexes": [
                    models.Index(fields=["chain", "-at"], name="log_checkpoint_chain_at")
                ],
            },
        ),
        migrations.RunPython(legacy_head, single_head),
        migrations.DeleteModel(name="LogHead"),
        migrations.RunPython(sqlite_triggers, sqlite_triggers),
    ]
