"""Month tallies: one stored row per calendar month and slice, the sum of its days.

No commune has month rows yet, so every commune's tallies are marked unbuilt: the
KPI selectors tally from the requests until the minute task
(`dispatch.figures.refresh.refresh_all`) has rebuilt days and months, a month per
transaction.
"""

import django.db.models.deletion
from django.db import migrations, models


def rebuild_tallies(apps, schema_editor):
    apps.get_model("dispatch", "TallyState").objects.update(
        built_at=None, rebuild=None, rebuild_started_at=None, rebuild_next=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0023_tally_every_pair_of_filters"),
        ("teams", "0008_household_register"),
    ]

    operations = [
        migrations.CreateModel(
            name="MonthTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("grouping", models.CharField(blank=True, max_length=40)),
                ("category", models.CharField(blank=True, max_length=16)),
                ("channel", models.CharField(blank=True, max_length=16)),
                ("received", models.PositiveIntegerField(default=0)),
                ("processed", models.PositiveIntegerField(default=0)),
                ("on_time", models.PositiveIntegerField(default=0)),
                ("escalations", models.PositiveIntegerField(default=0)),
                ("cancelled", models.PositiveIntegerField(default=0)),
                ("open", models.PositiveIntegerField(default=0)),
                ("rated", models.PositiveIntegerField(default=0)),
                ("rating_sum", models.PositiveIntegerField(default=0)),
                ("declines", models.PositiveIntegerField(default=0)),
                ("expiries", models.PositiveIntegerField(default=0)),
                ("repeats", models.PositiveIntegerField(default=0)),
                ("accepted", models.PositiveIntegerField(default=0)),
                ("accept_seconds", models.FloatField(default=0.0)),
                ("times", models.JSONField(default=dict)),
                ("month", models.DateField(verbose_name="tháng")),
                (
                    "commune",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="teams.commune",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="teams.supportteam",
                    ),
                ),
                (
                    "village",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="teams.village",
                    ),
                ),
            ],
            options={
                "verbose_name": "số liệu theo tháng",
                "verbose_name_plural": "số liệu theo tháng",
                "indexes": [
                    models.Index(
                        fields=["commune", "grouping", "month"],
                        name="dispatch_mo_commune_14f51c_idx",
                    )
                ],
            },
        ),
        migrations.RunPython(rebuild_tallies, migrations.RunPython.noop),
    ]
