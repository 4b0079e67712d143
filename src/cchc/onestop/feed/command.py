"""`cchc onestop feed schedule | pull | status | sweep | prune [--source NAME]` (the onestop command).

- schedule: queue a pull of each enabled source that has none waiting (each run then queues its next);
- pull: run the pulls now, in this process (for a first load or to try a source by hand);
- status: each source's checkpoint, data-fresh-to and last run;
- sweep: mark interrupted the runs whose worker died;
- prune: delete the old runs that set nothing aside (each scheduled run does it too).
"""

from typing import Any

from django.core.management.base import CommandError

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
        raise CommandError(f"No feed source is named {name!r}.")
    return [source]


def handle(command: Any, *, action: str, source: str | None, **options: Any) -> None:
    out = command.stdout
    if action == "sweep":
        runs = feed_pull.sweep_runs()
        out.write(f"{len(runs)} run(s) marked interrupted.")
        return
    if action == "prune":
        out.write(f"{prune_runs()} old run(s) deleted.")
        return
    for item in _sources(source):
        if action == "schedule":
            queued = feed_pull.schedule(item)
            out.write(f"{item.name}: {'queued' if queued else 'already waiting (or disabled)'}")
        elif action == "pull":
            run = feed_pull.pull(item)
            if run is None:
                out.write(f"{item.name}: a run is already going on")
                continue
            out.write(
                f"{item.name}: {run.state}, {run.pages} page(s), {run.rows} received, {run.created} created, "
                f"{run.updated} updated, {run.unchanged} unchanged, {run.rejected} rejected"
            )
            for error in run.errors:
                out.write(f"  {error}")
        else:
            last = item.runs.first()
            out.write(
                f"{item.name}: data up to {item.data_fresh_to.isoformat() if item.data_fresh_to else '-'}, "
                f"checkpoint ({item.checkpoint_time.isoformat() if item.checkpoint_time else '-'}, "
                f"{item.checkpoint_code or '-'}), last run {last.state if last else '-'}"
            )
