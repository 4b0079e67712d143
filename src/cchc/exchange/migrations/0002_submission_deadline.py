from django.db import migrations, models

# An assumption ([I]), not a rule found in a text: it makes "late" computable until the Ministry sets
# the day; a later rule is added as a new row from the month it applies.
ASSUMED = {
    "applies_from": "2000-01",
    "day": 10,
    "legal_basis": "[I] Giả định: ngày 10 của tháng liền sau kỳ báo cáo; chưa có văn bản quy định hạn gửi "
    "gói dữ liệu, cần thay bằng văn bản của Bộ Nội vụ khi ban hành.",
    "verified": False,
}


def assume_a_deadline(apps, schema_editor):
    apps.get_model("exchange", "SubmissionDeadline").objects.get_or_create(
        applies_from=ASSUMED["applies_from"], defaults=ASSUMED
    )


class Migration(migrations.Migration):

    dependencies = [
        ('exchange', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='SubmissionDeadline',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('applies_from', models.CharField(max_length=7, unique=True, verbose_name='applies from (month)')),
                ('day', models.PositiveSmallIntegerField(verbose_name='day of the following month')),
                ('legal_basis', models.CharField(max_length=500, verbose_name='legal basis')),
                ('verified', models.BooleanField(default=False, verbose_name='verified against the text')),
            ],
            options={
                'verbose_name': 'submission deadline',
                'verbose_name_plural': 'submission deadlines',
                'ordering': ['applies_from'],
                'constraints': [models.CheckConstraint(condition=models.Q(('day__gte', 1), ('day__lte', 28)), name='exchange_deadline_day_range')],
            },
        ),
        migrations.RunPython(assume_a_deadline, migrations.RunPython.noop),
    ]
