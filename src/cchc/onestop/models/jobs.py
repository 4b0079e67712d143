"""Import jobs: a file handed in through the web page, worked through in the background."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core import scoping
from cchc.core.scoping import ScopedQuerySet


class ImportKind(models.TextChoices):
    PROCEDURES = "procedures", _("procedures")
    DOSSIERS = "dossiers", _("dossiers")
    OFFICIAL_SCORES = "official_scores", _("official QĐ 766 scores")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("imported")
    FAILED = "failed", _("not imported")
    CANCELLED = "cancelled", _("cancelled")


UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)


class ImportJobQuerySet(ScopedQuerySet):
    """A job belongs to no unit (a file may hold many units' dossiers): it is seen by the person who
    started it, and by administrators of the whole province (and superusers) who see them all."""

    def scope(self, user, action: str) -> Q:
        if user is None or not user.is_authenticated:
            return Q(pk__in=[])
        if scoping.has_global_permission(user, scoping.ADMINISTER):
            return Q()
        return Q(created_by=user)


class ImportJob(models.Model):
    """One import (a file from the web page or the command line, or an API batch) and what became of it:
    progress while running, counts and a per-row error report.

    The file stays attached so the import can be checked or repeated; the error report is a CSV
    with one line per rejected row. A failed or cancelled job has changed nothing. While a job runs,
    its heartbeat and a request to stop it are kept in the cache, not here (`services.jobs`).
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    source = models.FileField(_("file"), upload_to="onestop/imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="onestop_import_jobs",
        null=True,
        blank=True,
        help_text="Empty for imports from the command line.",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rows = models.IntegerField(_("rows read"), default=0)
    created = models.IntegerField(_("records created"), default=0)
    updated = models.IntegerField(_("records updated"), default=0)
    unchanged = models.IntegerField(_("unchanged"), default=0)
    error_count = models.IntegerField(_("rows with errors"), default=0)
    error_report = models.FileField(_("error report"), upload_to="onestop/import-errors/%Y/%m/", blank=True)
    message = models.TextField(_("message"), blank=True)
    task_id = models.CharField(
        max_length=64,
        blank=True,
        help_text="The background task that runs the job, to tell a job still waiting for a worker "
        "from one whose worker died before starting it.",
    )

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # Imports from the API or a loader have no file name: the kind alone, not "hồ sơ – ".
        kind = str(self.get_kind_display())
        return f"{kind} – {self.original_name}" if self.original_name else kind

    @property
    def is_finished(self) -> bool:
        return self.status not in UNFINISHED
