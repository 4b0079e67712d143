"""`extract(text)`: the draft plan (areas, targets, tasks) that a plan document's text describes."""

from cchc.plans.extraction.areas import area_of_lines, find_areas
from cchc.plans.extraction.model import ExtractedPlan
from cchc.plans.extraction.targets import find_targets
from cchc.plans.extraction.tasks import find_tasks
from cchc.plans.extraction.text import split_lines


def extract(text: str) -> ExtractedPlan:
    """Areas, targets and tasks found in `text` (as `read_text` returns it). Pure: no database, no I/O."""
    lines = split_lines(text)
    area_of_line = area_of_lines(lines)
    targets = find_targets(lines)
    for target in targets:
        target.area = area_of_line.get(target.line)
    return ExtractedPlan(areas=find_areas(lines), targets=targets, tasks=find_tasks(lines, area_of_line))
