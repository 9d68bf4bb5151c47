"""A feedback link may be about a subject another app registers (a coaching placement), and
every link names its client, owner organisation and category (filled from the path for the
links that exist)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_from_case(apps, schema_editor):
    FeedbackLink = apps.get_model("worktrials", "FeedbackLink")
    for link in FeedbackLink.objects.select_related("case").iterator():
        link.client_id = link.case.client_id
        link.owner_organisation_id = link.case.owner_organisation_id
        link.category = link.case.category
        link.save(update_fields=["client", "owner_organisation", "category"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_team_consultations"),
        ("clients", "0001_registry_relationships_team_entries"),
        ("organisations", "0001_municipalities_organisations_units"),
        ("staff", "0001_staff_members"),
        ("worktrials", "0001_feedback_links_and_answers"),
    ]

    operations = [
        migrations.AddField(
            model_name="feedbacklink",
            name="subject_id",
            field=models.CharField(blank=True, max_length=64, verbose_name="kohteen tunniste"),
        ),
        migrations.AddField(
            model_name="feedbacklink",
            name="subject_kind",
            field=models.CharField(
                default="work_trial", max_length=32, verbose_name="palautteen kohde"
            ),
        ),
        migrations.AlterField(
            model_name="feedbacklink",
            name="case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.case",
                verbose_name="palvelupolku",
            ),
        ),
        migrations.AddField(
            model_name="feedbacklink",
            name="client",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clients.client",
                verbose_name="asiakas",
            ),
        ),
        migrations.AddField(
            model_name="feedbacklink",
            name="owner_organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
                verbose_name="rekisterinpitäjä",
            ),
        ),
        migrations.AddField(
            model_name="feedbacklink",
            name="category",
            field=models.CharField(default="", max_length=32, verbose_name="tietoryhmä"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_from_case, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="feedbacklink",
            name="client",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clients.client",
                verbose_name="asiakas",
            ),
        ),
        migrations.AlterField(
            model_name="feedbacklink",
            name="owner_organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
                verbose_name="rekisterinpitäjä",
            ),
        ),
        migrations.AddConstraint(
            model_name="feedbacklink",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("case__isnull", False), ("subject_kind", "work_trial")),
                    models.Q(
                        models.Q(("subject_kind", "work_trial"), _negated=True),
                        models.Q(("subject_id", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="link_has_subject",
            ),
        ),
    ]
