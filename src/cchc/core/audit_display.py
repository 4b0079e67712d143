"""The change log as people read it: action phrases, field labels and values in their usual form.

The stored rows stay in machine form; this only changes what the pages print. Foreign keys are
resolved for a whole page at once, one query per related model, never one per row.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from cchc.core.audit_labels import action_label, described_by, key_label, value_labels
from cchc.core.models import AuditEntry


def _empty_text() -> str:
    return gettext("(empty)")


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    action: str
    changes: list[Change]


def _object_model(entry: AuditEntry) -> type[models.Model] | None:
    # get_for_id reads through the content-type cache: no query per row.
    return ContentType.objects.get_for_id(entry.object_type_id).model_class()


def _model(entry: AuditEntry) -> type[models.Model] | None:
    """The model whose fields the entry's values are: usually the object's, or one its app names."""
    return described_by(entry.action) or _object_model(entry)


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _label(model: type[models.Model] | None, key: str) -> str:
    field = _field(model, key)
    # A field left with Django's own untranslated name ("value") reads better as the registered label.
    if field is not None and field.verbose_name and str(field.verbose_name) != key.replace("_", " "):
        return str(field.verbose_name)
    return key_label(key) or (str(field.verbose_name) if field is not None else key.replace("_", " "))


def _coded(key: str, value: Any) -> Any:
    """A list of codes with registered labels (`late_steps`) as the labels."""
    labels = value_labels(key)
    if labels and isinstance(value, list):
        return [str(labels.get(item, item)) for item in value]
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _date_text(field: models.Field, value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        if isinstance(field, models.DateTimeField):
            moment = datetime.datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return f"{moment:%d/%m/%Y %H:%M}"
        if isinstance(field, models.DateField):
            return f"{datetime.date.fromisoformat(value[:10]):%d/%m/%Y}"
    except ValueError:
        return None
    return None


def _plain(value: Any) -> str:
    """A value with no field to describe it: numbers, dates, yes/no and lists in their usual form."""
    if _empty(value):
        return _empty_text()
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, int | float | Decimal):
        return number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key.replace('_', ' ')}: {_plain(item)}" for key, item in value.items())
    if isinstance(value, str):
        if len(value) >= 19 and value[4:5] == "-" and value[10:11] == "T":
            try:
                moment = datetime.datetime.fromisoformat(value)
            except ValueError:
                return value
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return f"{moment:%d/%m/%Y %H:%M}"
        if len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
            try:
                return f"{datetime.date.fromisoformat(value):%d/%m/%Y}"
            except ValueError:
                return value
    return str(value)


def _name(obj: models.Model) -> str:
    name = getattr(obj, "name", None)
    return str(name) if name else str(obj)


def _value(field: models.Field | None, value: Any, related: dict[tuple[type, str], str]) -> str:
    if _empty(value):
        return _empty_text()
    if field is None:
        return _plain(value)
    if field.is_relation and field.many_to_one:
        return related.get((field.related_model, str(value)), gettext("(deleted)"))
    if field.choices:
        choices = {str(key): label for key, label in field.flatchoices}
        if str(value) in choices:
            return str(choices[str(value)])
    if isinstance(field, models.DateField):
        text = _date_text(field, value)
        if text is not None:
            return text
    if isinstance(field, models.DecimalField | models.FloatField) and isinstance(value, str):
        try:
            return number_format(Decimal(value), use_l10n=True, force_grouping=True)
        except InvalidOperation:
            return value
    return _plain(value)


def present(entries: Iterable[AuditEntry], user: Any) -> list[Row]:
    """Display rows for `entries` as `user` may read them, with one query per model that their
    foreign keys point to. Names of objects outside the user's scope are not shown."""
    entries = list(entries)
    wanted: dict[type, set[str]] = defaultdict(set)
    for entry in entries:
        model = _model(entry)
        for key, before, after in entry.changed_fields():
            field = _field(model, key)
            if field is not None and field.is_relation and field.many_to_one:
                wanted[field.related_model].update(str(v) for v in (before, after) if not _empty(v))
    related: dict[tuple[type, str], str] = {}
    for related_model, ids in wanted.items():
        rows = related_model._default_manager.all()
        if hasattr(rows, "for_user"):
            # A name the viewer may not see stays hidden, as the entry of that unit itself would be.
            rows = rows.for_user(user)
            for pk in ids:
                related[(related_model, pk)] = gettext("(not shown)")
        for pk, obj in rows.in_bulk(list(ids)).items():
            related[(related_model, str(pk))] = _name(obj)
    rows = []
    for entry in entries:
        model = _model(entry)
        object_model = _object_model(entry)
        model_name = str(object_model._meta.verbose_name) if object_model is not None else ""
        changes = [
            Change(
                _label(model, key),
                _value(_field(model, key), _coded(key, before), related),
                _value(_field(model, key), _coded(key, after), related),
            )
            for key, before, after in entry.changed_fields()
            # A creation lists what was filled in, not every field left empty.
            if not (entry.before is None and _empty(after))
        ]
        rows.append(Row(entry, action_label(entry.action, model_name), changes))
    return rows
