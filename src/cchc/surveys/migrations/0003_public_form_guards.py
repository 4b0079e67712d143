"""The public forms' rate-limit counters and spent stamps move from the cache into the database."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("surveys", "0002_feedback_deadlines")]

    operations = [
        migrations.CreateModel(
            name="PublicPostCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("client", models.CharField(max_length=80, verbose_name="client")),
                ("hour", models.BigIntegerField(db_index=True, verbose_name="hour")),
                ("count", models.PositiveIntegerField(default=0, verbose_name="count")),
            ],
            options={
                "verbose_name": "public form count",
                "verbose_name_plural": "public form counts",
                "constraints": [
                    models.UniqueConstraint(fields=("client", "hour"), name="surveys_post_count_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="SpentStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("nonce", models.CharField(max_length=40, unique=True, verbose_name="nonce")),
                ("kind", models.CharField(max_length=20, verbose_name="kind of form")),
                ("spent_at", models.DateTimeField(db_index=True, verbose_name="spent at")),
            ],
            options={"verbose_name": "spent form stamp", "verbose_name_plural": "spent form stamps"},
        ),
    ]
