from django.db import migrations


def seed(apps, schema_editor):
    from training.catalogue import seed_patterns

    seed_patterns(get_model=apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("training", "0003_scam_patterns_and_sightings")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
