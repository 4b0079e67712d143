"""A live feed from a provincial one-stop system: its sources, their runs and the records they refused.

A source is pulled page by page (docs/onestop-feed.md); each page is imported and the source's
checkpoint advanced in one transaction, so a run killed between two pages resumes after the last
page it committed, with nothing lost and nothing counted twice.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedSource(models.Model):
    """One one-stop system's REST API, pulled on a schedule by the background worker.

    The checkpoint is the (update time, dossier code) of the last record of the last page imported:
    the next request asks for what comes after it in that order (keyset paging, stable across pages).
    `data_fresh_to` is the newest update time imported so far: the data is complete up to then.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    base_url = models.URLField(_("address of the API"), max_length=500)
    # Sent as the Authorization header; never shown back in full (`masked_credentials`).
    credentials = models.CharField(_("authorization header"), max_length=500, blank=True)
    page_size = models.PositiveIntegerField(_("records per page"), default=500)
    interval_minutes = models.PositiveIntegerField(_("minutes between runs"), default=15)
    enabled = models.BooleanField(_("enabled"), default=True)
    timeout_seconds = models.PositiveIntegerField(_("time limit of a request (seconds)"), default=30)
    max_retries = models.PositiveIntegerField(_("retries of a failed request"), default=4)
    checkpoint_time = models.DateTimeField(null=True, blank=True)
    checkpoint_code = models.CharField(max_length=64, blank=True)
    data_fresh_to = models.DateTimeField(_("data up to"), null=True, blank=True)
    # The one import job that records every page of this source (`feed.pull._job_of`): a job per page
    # would bury the uploads of the import list.
    import_job = models.ForeignKey(
        "onestop.ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feed source")
        verbose_name_plural = _("feed sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_credentials(self) -> str:
        """The header's last four characters only, so that the page confirms it without revealing it."""
        if not self.credentials:
            return ""
        return "••••" + self.credentials[-4:] if len(self.credentials) > 8 else "••••"


class FeedRunState(models.TextChoices):
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")
    INTERRUPTED = "interrupted", _("interrupted")


class FeedRun(models.Model):
    """One pull of a source: what it received and imported, its errors and the lag at its end.

    The counters grow in the same transaction as each page's import, so a run that died keeps the
    counts of the pages it committed. `heartbeat_at` is written with every page and while waiting
    to retry; a running run whose heartbeat is too old is found interrupted (`feed.pull.sweep`).
    """

    source = models.ForeignKey(FeedSource, on_delete=models.CASCADE, related_name="runs")
    state = models.CharField(
        _("state"), max_length=12, choices=FeedRunState.choices, default=FeedRunState.RUNNING
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    pages = models.IntegerField(_("pages"), default=0)
    rows = models.IntegerField(_("records received"), default=0)
    created = models.IntegerField(_("records created"), default=0)
    updated = models.IntegerField(_("records updated"), default=0)
    unchanged = models.IntegerField(_("unchanged"), default=0)
    rejected = models.IntegerField(_("records rejected"), default=0)
    retries = models.IntegerField(_("retries"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    lag_seconds = models.IntegerField(_("lag"), null=True, blank=True)

    class Meta:
        verbose_name = _("feed run")
        verbose_name_plural = _("feed runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} – {self.started_at:%d/%m/%Y %H:%M}"


class FeedRejected(models.Model):
    """A record the feed could not import, kept as it came with the reason, so nothing is lost silently
    and an official can read it and have it corrected at the source."""

    run = models.ForeignKey(FeedRun, on_delete=models.CASCADE, related_name="rejected_records")
    code = models.CharField(_("dossier code"), max_length=200, blank=True)
    raw = models.JSONField(_("record as received"))
    reason = models.TextField(_("reason"))
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rejected feed record")
        verbose_name_plural = _("rejected feed records")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.code or str(self.pk)
