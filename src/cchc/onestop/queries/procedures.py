"""The list of procedures: the fields (lĩnh vực) it offers and the procedures matching a filter.

Procedures belong to no unit (they are the national catalogue): every signed-in user reads them all.
"""

from typing import Any

from django.db.models import Q, QuerySet

from cchc.onestop.models import Procedure


def fields() -> list[str]:
    """Every field some procedure is in, in alphabetical order."""
    return list(Procedure.objects.order_by("field").values_list("field", flat=True).distinct())


def matching(*, q: str = "", field: str = "", online: str = "", **_other: Any) -> QuerySet[Procedure]:
    """Procedures whose code or name holds `q`, in `field`, with the `online` level (each when given)."""
    procedures = Procedure.objects.order_by("code")
    if q:
        procedures = procedures.filter(Q(code__icontains=q) | Q(name__icontains=q))
    if field:
        procedures = procedures.filter(field=field)
    if online:
        procedures = procedures.filter(online=online)
    return procedures
