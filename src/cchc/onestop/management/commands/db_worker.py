"""`cchc db_worker`: the worker of django-tasks-db, which first fails the import jobs left by a worker
that died (`services.jobs.sweep_jobs`), marks their feed runs interrupted, queues a pull of every
enabled feed source that has none waiting (docs/onestop-feed.md), and creates the dossier table's
partitions of the coming months, queueing the daily job that keeps them ahead (docs/onestop.md).

This app comes before django_tasks_db in INSTALLED_APPS, so this command takes the name.
"""

import datetime
from typing import Any

from django_tasks_db.management.commands import db_worker

from cchc.onestop.feed.pull import resume_schedules, sweep_runs
from cchc.onestop.services.jobs import sweep_jobs
from cchc.onestop.services.partitions import ensure_ahead, schedule_daily


class Command(db_worker.Command):
    help = "Run the background worker (uploaded imports), after failing the jobs of workers that died."

    def handle(self, *args: Any, **options: Any) -> None:
        for job in sweep_jobs():
            self.stderr.write(f"Import job {job.pk} ({job.original_name}) failed: its worker had stopped.")
        for run in sweep_runs():
            self.stderr.write(f"Feed run {run.pk} ({run.source}) interrupted: its worker had stopped.")
        # A worker killed during a pull took the pull's "queue my next run" with it: without this, the
        # feed would wait for someone to press "Chạy ngay".
        for source in resume_schedules():
            self.stderr.write(f"Feed source {source.pk} ({source}): a pull is queued.")
        # The coming months' partitions now, then once a day (PostgreSQL; nothing on SQLite).
        created = ensure_ahead()
        if created:
            self.stderr.write(f"Dossier partitions created: {', '.join(f'{m:%Y-%m}' for m in created)}.")
        schedule_daily(delay=datetime.timedelta(days=1))
        super().handle(*args, **options)
