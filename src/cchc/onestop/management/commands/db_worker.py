"""`cchc db_worker`: the worker of django-tasks-db, which first fails the import jobs left by a worker
that died (`services.jobs.sweep_jobs`), marks their feed runs interrupted and queues a pull of every
enabled feed source that has none waiting (docs/onestop-feed.md).

This app comes before django_tasks_db in INSTALLED_APPS, so this command takes the name.
"""

from typing import Any

from django_tasks_db.management.commands import db_worker

from cchc.onestop.feed.pull import resume_schedules, sweep_runs
from cchc.onestop.services.jobs import sweep_jobs


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
        super().handle(*args, **options)
