from django.db import migrations, models


def provinces_are_provincial(apps, schema_editor):
    # A set for provinces, if one was ever made, is the provincial PAR Index: the constraint says so.
    apps.get_model("parindex", "CriteriaSet").objects.filter(unit_type="province").update(level="provincial")


class Migration(migrations.Migration):

    dependencies = [
        ('parindex', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='criteriaset',
            name='level',
            field=models.CharField(choices=[('local', "The province's own units, appraised by the province"), ('provincial', 'Provinces, appraised by the Ministry (provincial PAR Index)')], default='local', max_length=12, verbose_name='level'),
        ),
        migrations.RunPython(provinces_are_provincial, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='criteriaset',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('level', 'provincial'), ('unit_type', 'province')), models.Q(('level', 'local'), models.Q(('unit_type', 'province'), _negated=True)), _connector='OR'), name='criteria_set_level_matches_unit_type'),
        ),
    ]
