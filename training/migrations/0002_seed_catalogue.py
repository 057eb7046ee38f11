from django.db import migrations


def seed(apps, schema_editor):
    from training.catalogue import seed_catalogue

    seed_catalogue(get_model=apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
