"""`cchc onestop feed schedule | pull | status | sweep | prune [--source NAME]` (the onestop command).

- schedule: queue a pull of each enabled source that has none waiting (each run then queues its next);
- pull: run the pulls now, in this process (for a first load or to try a source by hand);
- status: each source's checkpoint, data-fresh-to and last run;
- sweep: mark interrupted the runs whose worker died;
- prune: delete the old runs that set nothing aside (each scheduled run does it too).
"""

import datetime
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core.commands import count_text
from cchc.onestop.feed import pull as feed_pull
from cchc.onestop.feed.pruning import prune_runs
from cchc.onestop.models import FeedSource


def add_parser(subparsers: Any) -> None:
    feed = subparsers.add_parser("feed", help="The live feed from one-stop systems (docs/onestop-feed.md).")
    feed.add_argument("action", choices=["schedule", "pull", "status", "sweep", "prune"])
    feed.add_argument("--source", help="Name of one source (default: every enabled source).")


def _sources(name: str | None) -> list[FeedSource]:
    if name is None:
        return list(FeedSource.objects.filter(enabled=True))
    source = FeedSource.objects.filter(name=name).first()
    if source is None:
        raise CommandError(_("No feed source is named “%(name)s”.") % {"name": name})
    return [source]


def _moment(value: datetime.datetime | None) -> str:
    return f"{timezone.localtime(value):%H:%M %d/%m/%Y}" if value else "–"


def handle(command: Any, *, action: str, source: str | None, **options: Any) -> None:
    out = command.stdout
    if action == "sweep":
        runs = feed_pull.sweep_runs()
        out.write(_("%(count)s run(s) marked interrupted.") % {"count": count_text(len(runs))})
        return
    if action == "prune":
        out.write(_("%(count)s old run(s) deleted.") % {"count": count_text(prune_runs())})
        return
    for item in _sources(source):
        if action == "schedule":
            queued = feed_pull.schedule(item)
            state = _("queued") if queued else _("already waiting (or disabled)")
            out.write(f"{item.name}: {state}")
        elif action == "pull":
            run = feed_pull.pull(item)
            if run is None:
                out.write(f"{item.name}: " + _("a run is already going on"))
                continue
            out.write(
                f"{item.name}: "
                + _(
                    "%(state)s, %(pages)s page(s), %(rows)s received, %(created)s created, "
                    "%(updated)s updated, %(unchanged)s unchanged, %(rejected)s rejected"
                )
                % {
                    "state": run.get_state_display(),
                    "pages": count_text(run.pages),
                    "rows": count_text(run.rows),
                    "created": count_text(run.created),
                    "updated": count_text(run.updated),
                    "unchanged": count_text(run.unchanged),
                    "rejected": count_text(run.rejected),
                }
            )
            for error in run.errors:
                out.write(f"  {error}")
        else:
            last = item.runs.first()
            out.write(
                f"{item.name}: "
                + _("data up to %(fresh)s, checkpoint %(time)s (%(code)s), last run %(state)s")
                % {
                    "fresh": _moment(item.data_fresh_to),
                    "time": _moment(item.checkpoint_time),
                    "code": item.checkpoint_code or "–",
                    "state": last.get_state_display() if last else "–",
                }
            )
