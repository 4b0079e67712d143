from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("onestop", "0003_dossier_code_unique_constraint"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="task_id",
            field=models.CharField(
                blank=True,
                help_text="The background task that runs the job, to tell a job still waiting for a worker "
                "from one whose worker died before starting it.",
                max_length=64,
            ),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "waiting"),
                    ("running", "running"),
                    ("done", "imported"),
                    ("failed", "not imported"),
                    ("cancelled", "cancelled"),
                ],
                default="queued",
                max_length=10,
                verbose_name="status",
            ),
        ),
    ]
