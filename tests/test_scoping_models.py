"""Every model that belongs to a unit scopes itself one way: `Model.objects.for_user(user, action)`.

A model belongs to a unit when a chain of at most three foreign keys leads from it to `units.Unit`.
Each such model must offer `for_user`, and its filter must really test the unit tree (the SQL compares
a unit's materialised path), so a new model cannot be added without deciding who may see it.
"""

import pytest
from django.apps import apps
from django.db import models

from cchc.units.models import Unit

pytestmark = pytest.mark.django_db


def _leads_to_unit(model, depth: int = 3, seen=()) -> bool:
    if model is Unit:
        return True
    if depth == 0 or model in seen:
        return False
    for field in model._meta.get_fields():
        is_link = isinstance(field, models.ForeignKey | models.OneToOneField) and field.concrete
        if is_link and _leads_to_unit(field.related_model, depth - 1, (*seen, model)):
            return True
    return False


def unit_models():
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("cchc.") or model is Unit:
            continue
        if _leads_to_unit(model):
            found.append(model)
    return sorted(found, key=lambda model: model._meta.label_lower)


def test_the_search_finds_the_models_of_every_domain():
    labels = {model._meta.app_label for model in unit_models()}
    assert {"plans", "onestop", "parindex", "surveys"} <= labels


@pytest.mark.parametrize("model", unit_models(), ids=lambda model: model._meta.label_lower)
def test_a_model_with_a_unit_scopes_itself_by_the_unit_tree(model, cast):
    manager = model._default_manager
    assert hasattr(manager, "for_user"), f"{model._meta.label} has no objects.for_user(user, action)"
    sql = str(manager.for_user(cast["justice_focal"], "view").query).lower()
    assert "path" in sql and "like" in sql, f"{model._meta.label}.for_user does not filter by the unit tree"


def test_an_anonymous_visitor_sees_no_row_of_any_unit_model(cast):
    from django.contrib.auth.models import AnonymousUser

    for model in [*unit_models(), Unit]:
        assert not model._default_manager.for_user(AnonymousUser(), "view").exists(), model._meta.label
