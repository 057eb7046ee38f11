"""Tally rows are read by commune, grouping and date, then the slice: one index in that
order (the slice columns let a filtered read walk the dates in the index alone), and
no index on team or village alone (SQLite took it to sum a few days of one team and
read every row of that team instead)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dispatch', '0025_volunteer_load_indexes'),
        ('teams', '0008_household_register'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='daytally',
            name='dispatch_da_commune_126f42_idx',
        ),
        migrations.RemoveIndex(
            model_name='monthtally',
            name='dispatch_mo_commune_14f51c_idx',
        ),
        migrations.AlterField(
            model_name='daytally',
            name='team',
            field=models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.supportteam'),
        ),
        migrations.AlterField(
            model_name='daytally',
            name='village',
            field=models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.village'),
        ),
        migrations.AlterField(
            model_name='monthtally',
            name='team',
            field=models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.supportteam'),
        ),
        migrations.AlterField(
            model_name='monthtally',
            name='village',
            field=models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.village'),
        ),
        migrations.AddIndex(
            model_name='daytally',
            index=models.Index(fields=['commune', 'grouping', 'day', 'team', 'village', 'category', 'channel'], name='daytally_slice_by_day'),
        ),
        migrations.AddIndex(
            model_name='monthtally',
            index=models.Index(fields=['commune', 'grouping', 'month', 'team', 'village', 'category', 'channel'], name='monthtally_slice_by_month'),
        ),
    ]
