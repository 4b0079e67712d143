"""One finder per kind of thing the search box finds, each scoped to what the user may see.

A finder takes the user and a `Query` and returns at most `LIMIT` hits plus whether there were more.

- Dossiers and feedback are found by their exact code only (the dossier code's unique index, the
  receipt code's unique index): one indexed lookup however many million dossiers there are. A part
  of a code would mean reading the whole table, and a dossier list by unit and month exists for that.
- Tasks, targets, procedures, units and people are found by their words: every word of the query
  must appear in the folded text (lower case, no diacritics), in any order; an exact code or user
  name comes first, then a text that starts with the query, then one that holds it as typed, then
  the shorter texts.

Who sees what (docs/search.md): dossiers, feedback, tasks and targets through their `for_user`;
people through `accounts.queries.users_for`; procedures are the national catalogue, public to every
signed-in user; units are public inside the user's province (a commune finds "Sở Nội vụ" by name),
but link to their page only when the user may open it.
"""

from dataclasses import dataclass, field

from django.db.models import Case, F, FloatField, Func, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat, Length
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from cchc.accounts.models import RoleAssignment
from cchc.accounts.queries import users_for
from cchc.core.scoping import VIEW, scope_paths
from cchc.onestop.models import Dossier, Procedure
from cchc.plans.models import Target, Task
from cchc.surveys.models import Feedback
from cchc.units.models import PATH_STEP, Unit
from cchc.web.search.folding import Folded

LIMIT = 8  # hits shown per kind; a longer list means the query should be more precise
NEAR_THRESHOLD = 0.5  # PostgreSQL word_similarity above which a mistyped name counts as near


@dataclass(frozen=True)
class Query:
    """What the person typed: as typed (for codes), and folded into words (for names)."""

    raw: str
    phrase: str  # folded, single spaces
    words: tuple[str, ...]
    near: bool = False  # match by trigram similarity instead of by words (PostgreSQL only)


@dataclass(frozen=True)
class Hit:
    title: str
    detail: str = ""
    url: str | None = None


@dataclass
class Found:
    hits: list[Hit] = field(default_factory=list)
    more: bool = False


class WordSimilarity(Func):
    """pg_trgm's word_similarity(query, text): how well the query matches some run of words in text."""

    function = "word_similarity"
    arity = 2
    output_field = FloatField()


def _looks_like_code(raw: str, max_length: int) -> bool:
    return bool(raw) and len(raw) <= max_length and not any(char.isspace() for char in raw)


def _by_words(queryset: QuerySet, text, query: Query, code: str | None = None) -> QuerySet:
    """`queryset` filtered to rows whose folded `text` holds every word, best first."""
    rows = queryset.annotate(search_text=Folded(text))
    if query.near:
        rows = rows.annotate(search_near=WordSimilarity(Value(query.phrase), F("search_text")))
        return rows.filter(search_near__gte=NEAR_THRESHOLD).order_by(
            "-search_near", Length("search_text"), "pk"
        )
    for word in query.words:
        rows = rows.filter(search_text__contains=word)
    exact_code = [When(**{f"{code}__iexact": query.raw}, then=Value(0))] if code else []
    rank = Case(
        *exact_code,
        When(search_text__startswith=query.phrase, then=Value(1)),
        When(search_text__contains=query.phrase, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return rows.annotate(search_rank=rank).order_by("search_rank", Length("search_text"), "pk")


def _joined(*fields: str):
    """The fields as one text, separated by spaces, so that a query may span them ("HT-01 khai sinh")."""
    parts: list = []
    for name in fields:
        parts += [F(name), Value(" ")]
    return Concat(*parts[:-1], output_field=TextField())


def _first(rows) -> tuple[list, bool]:
    found = list(rows[: LIMIT + 1])
    return found[:LIMIT], len(found) > LIMIT


def dossiers(user, query: Query) -> Found:
    if query.near or not _looks_like_code(query.raw, 64):
        return Found()
    # Codes are stored as the source system sends them, upper case in practice: try both spellings.
    codes = {query.raw, query.raw.upper()}
    rows = Dossier.objects.for_user(user, VIEW).filter(code__in=codes).select_related("procedure", "unit")
    found, more = _first(rows.order_by("pk"))
    hits = [
        Hit(row.code, f"{row.procedure.name} — {row.unit.name}", reverse("onestop:dossier", args=[row.pk]))
        for row in found
    ]
    return Found(hits, more)


def feedback(user, query: Query) -> Found:
    if query.near or not _looks_like_code(query.raw, 20):
        return Found()
    rows = Feedback.objects.for_user(user, VIEW).filter(receipt_code=query.raw.upper()).select_related("unit")
    found, more = _first(rows.order_by("pk"))
    hits = [
        Hit(
            row.receipt_code,
            " — ".join(part for part in (row.title, row.unit.name if row.unit else "") if part),
            reverse("surveys:feedback-detail", args=[row.pk]),
        )
        for row in found
    ]
    return Found(hits, more)


def tasks(user, query: Query) -> Found:
    visible = Task.objects.for_user(user, VIEW).select_related("plan", "lead_unit")
    found, more = _first(_by_words(visible, _joined("code", "text"), query, code="code"))
    hits = [
        Hit(str(row), f"{row.plan.title} — {row.lead_unit.name}", reverse("plans:task", args=[row.pk]))
        for row in found
    ]
    return Found(hits, more)


def targets(user, query: Query) -> Found:
    visible = Target.objects.for_user(user, VIEW).select_related("plan")
    found, more = _first(_by_words(visible, _joined("code", "text", "measure"), query, code="code"))
    hits = [Hit(str(row), row.plan.title, reverse("plans:target", args=[row.pk])) for row in found]
    return Found(hits, more)


def procedures(user, query: Query) -> Found:
    found, more = _first(_by_words(Procedure.objects.all(), _joined("code", "name"), query, code="code"))
    listing = reverse("onestop:procedures")
    hits = [
        Hit(f"{row.code} – {row.name}", row.field, f"{listing}?{urlencode({'q': row.code})}") for row in found
    ]
    return Found(hits, more)


def _province_scope(user) -> Q | None:
    """A Q keeping the units of the provinces the user works in (an empty Q for a superuser: every
    unit), or None when the user works nowhere."""
    paths = scope_paths(user, VIEW)
    if paths is None:
        return Q()
    roots = {path[: PATH_STEP + 1] for path in paths}
    if not roots:
        return None
    condition = Q()
    for root in sorted(roots):
        condition |= Q(path__startswith=root)
    return condition


def units(user, query: Query) -> Found:
    province = _province_scope(user)
    if province is None:
        return Found()
    public = Unit.objects.filter(province).active_on(timezone.localdate())
    found, more = _first(_by_words(public, _joined("name", "code"), query, code="code"))
    openable = set(
        Unit.objects.for_user(user).filter(pk__in=[row.pk for row in found]).values_list("pk", flat=True)
    )
    hits = [
        Hit(
            row.name,
            row.get_type_display(),
            reverse("units:detail", args=[row.pk]) if row.pk in openable else None,
        )
        for row in found
    ]
    return Found(hits, more)


def people(user, query: Query) -> Found:
    visible = users_for(user).filter(is_active=True)
    found, more = _first(_by_words(visible, _joined("full_name", "username"), query, code="username"))
    assignments = (
        RoleAssignment.objects.filter(user__in=[row.pk for row in found])
        .filter(unit__in=Unit.objects.for_user(user))
        .select_related("unit")
        .order_by("unit__path", "role")
    )
    roles: dict[int, list[RoleAssignment]] = {}
    for assignment in assignments:
        roles.setdefault(assignment.user_id, []).append(assignment)
    hits = []
    for row in found:
        held = roles.get(row.pk, [])
        detail = "; ".join(f"{item.get_role_display()} — {item.unit.name}" for item in held)
        url = reverse("units:detail", args=[held[0].unit_id]) if held else None
        hits.append(Hit(str(row), detail, url))
    return Found(hits, more)
