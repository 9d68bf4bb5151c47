import django.db.models.deletion
from django.db import migrations, models


def disclosed_under_from_log(apps, schema_editor):
    """Earlier referrals: the consent of their identity disclosure, as logged when sent."""
    Referral = apps.get_model("referrals", "Referral")
    AccessLogEntry = apps.get_model("audit", "AccessLogEntry")
    Consent = apps.get_model("consents", "Consent")
    existing = set(Consent.objects.values_list("pk", flat=True))
    for referral in Referral.objects.filter(disclosed_under__isnull=True).only("pk"):
        for consent_id, categories in AccessLogEntry.objects.filter(
            object_type="referral",
            object_id=str(referral.pk),
            action="disclose",
            consent_id__isnull=False,
        ).values_list("consent_id", "categories"):
            if "identity" in categories.split(",") and consent_id in existing:
                Referral.objects.filter(pk=referral.pk).update(disclosed_under_id=consent_id)
                break


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_log_head_row"),
        ("consents", "0002_client_lookup_indexes"),
        ("referrals", "0001_referrals"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="disclosed_under",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="consents.consent",
                verbose_name="luovutuksen suostumus",
            ),
        ),
        migrations.RunPython(disclosed_under_from_log, migrations.RunPython.noop),
    ]
