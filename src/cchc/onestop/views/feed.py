"""The live feed page: sources with how fresh their data is, their runs, rejected records, "Chạy ngay".

For the province's administrators (the reform office) only; everyone else gets 403. Opening a page
first marks interrupted the runs whose worker died (`pull.sweep_runs`).
"""

import json
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.onestop.feed import pull
from cchc.onestop.feed.sources import FeedSourceForm, may_manage, save_source
from cchc.onestop.models import FeedRun, FeedSource

logger = logging.getLogger(__name__)

RUNS_SHOWN = 30


def _check(request) -> None:
    if not may_manage(request.user):
        raise PermissionDenied
    try:
        pull.sweep_runs()
    except DatabaseError:  # SQLite while an import holds the lock: the next look will do it
        logger.warning("Feed runs not swept", exc_info=True)


@login_required
def feed(request):
    _check(request)
    form = FeedSourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source = save_source(actor=request.user, form=form)
        messages.success(request, _("The source is saved."))
        return redirect("onestop:feed-source", pk=source.pk)
    sources = list(FeedSource.objects.all())
    for source in sources:
        source.last_run = source.runs.first()
    return render(request, "onestop/feed.html", {"sources": sources, "form": form})


@login_required
def feed_source(request, pk: int):
    _check(request)
    source = get_object_or_404(FeedSource, pk=pk)
    form = FeedSourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        save_source(actor=request.user, form=form)
        messages.success(request, _("The source is saved."))
        return redirect("onestop:feed-source", pk=source.pk)
    runs = source.runs.all()[:RUNS_SHOWN]
    return render(request, "onestop/feed_source.html", {"source": source, "form": form, "runs": runs})


@login_required
def feed_run(request, pk: int):
    _check(request)
    run = get_object_or_404(FeedRun.objects.select_related("source"), pk=pk)
    rejected = [
        (record, json.dumps(record.raw, ensure_ascii=False, indent=2))
        for record in run.rejected_records.all()
    ]
    return render(request, "onestop/feed_run.html", {"run": run, "rejected": rejected})


@login_required
@require_POST
def feed_run_now(request, pk: int):
    _check(request)
    source = get_object_or_404(FeedSource, pk=pk)
    if not source.enabled:
        messages.warning(request, _("The source is disabled: enable it first."))
    elif pull.schedule(source):
        messages.success(request, _("A pull is queued; it starts as soon as the worker is free."))
    else:
        messages.info(request, _("A pull of this source is already waiting."))
    return redirect("onestop:feed-source", pk=source.pk)
