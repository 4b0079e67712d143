"""Criteria sets as their pages show them: the list with each set's figures, and one set's tree."""

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from cchc.core import metrics
from cchc.parindex.models import OUTSIDE_MAXIMUM, Assessment, CriteriaSet, Method
from cchc.parindex.scoring import format_tiers

SCORED = list(Method.values)
IN_MAXIMUM = [method for method in Method.values if method not in OUTSIDE_MAXIMUM]


def criteria_sets_with_figures() -> QuerySet[CriteriaSet]:
    """Every set with its number of scored leaves, its maximum and whether a campaign uses it: one query."""
    return CriteriaSet.objects.annotate(
        leaves=Count("criteria", filter=Q(criteria__method__in=SCORED)),
        maximum_points=Sum("criteria__max_points", filter=Q(criteria__method__in=IN_MAXIMUM)),
        in_use=Exists(Assessment.objects.filter(criteria_set=OuterRef("pk"))),
    ).order_by("-year", "unit_type")


def _metric_label(key: str) -> str:
    if not key:
        return ""
    metric = metrics.find(key)
    return str(metric.label) if metric is not None else ""


def tree_rows(criteria_set: CriteriaSet) -> list[dict[str, Any]]:
    """The set's criteria in order, each with its depth (0 for an area) and what the page shows of it."""
    criteria = list(criteria_set.criteria.order_by("position"))
    depth: dict[int, int] = {}
    rows = []
    for criterion in criteria:
        level = 0 if criterion.parent_id is None else depth.get(criterion.parent_id, 0) + 1
        depth[criterion.pk] = level
        rows.append(
            {
                "criterion": criterion,
                "depth": level,
                "indent": level * 1.25,
                "tiers": format_tiers(criterion.tiers).replace("|", " | "),
                "metric_label": _metric_label(criterion.metric),
                "outside_maximum": criterion.is_leaf and not criterion.counts_in_maximum,
            }
        )
    return rows
