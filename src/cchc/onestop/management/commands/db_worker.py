"""`cchc db_worker`: the worker of django-tasks-db, which first fails the import jobs left by a worker
that died (`services.jobs.sweep_jobs`).

This app comes before django_tasks_db in INSTALLED_APPS, so this command takes the name.
"""

from typing import Any

from django_tasks_db.management.commands import db_worker

from cchc.onestop.services.jobs import sweep_jobs


class Command(db_worker.Command):
    help = "Run the background worker (uploaded imports), after failing the jobs of workers that died."

    def handle(self, *args: Any, **options: Any) -> None:
        for job in sweep_jobs():
            self.stderr.write(f"Import job {job.pk} ({job.original_name}) failed: its worker had stopped.")
        super().handle(*args, **options)
