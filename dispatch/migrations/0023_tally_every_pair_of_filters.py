"""The day tallies now store every pair of filters and each team with a pair.

The rows stored so far lack the new slices, so every commune's tallies are marked
unbuilt: the KPI selectors tally from the requests until the minute task
(`dispatch.figures.refresh.refresh_all`) has rebuilt them, a month per transaction.
"""

from django.db import migrations


def rebuild_tallies(apps, schema_editor):
    apps.get_model("dispatch", "TallyState").objects.update(
        built_at=None, rebuild=None, rebuild_started_at=None, rebuild_next=None
    )


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0022_campaign_guide")]

    operations = [migrations.RunPython(rebuild_tallies, migrations.RunPython.noop)]
