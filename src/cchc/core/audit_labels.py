"""What the change log calls each action and each stored key, in words people read.

Audit rows keep the machine form (`feedback.publish`, `{"unit": 3}`) because that is what queries and
exports rely on. Each app names its own actions in its `audit_labels` module by calling `register`;
core finds those modules at start-up (`autodiscover_modules`), so it never imports the apps.
"""

from collections.abc import Mapping

from django.apps import apps
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

_ACTIONS: dict[str, str] = {}
_KEYS: dict[str, str] = {}
_MODELS: dict[str, str] = {}
_VALUES: dict[str, Mapping[str, str]] = {}  # stored key -> its codes' labels (a list of codes, not a field)

# Verbs of the generic actions (admin edits write `<model>.create` and the like), used when an app
# has not named an action itself.
_VERBS = {
    "create": _("Created"),
    "update": _("Changed"),
    "delete": _("Deleted"),
}


def register(
    actions: Mapping[str, str] | None = None,
    keys: Mapping[str, str] | None = None,
    models: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
) -> None:
    """Name actions (`"feedback.publish": _("Answer published")`) and stored keys that are not
    model fields (`"rows_read": _("rows read")`); labels should be lazy translations. `models` names,
    for an action whose values are not fields of the object it is recorded on, the model whose fields
    they are (`"role.grant": "accounts.RoleAssignment"`, recorded on the user)."""
    _ACTIONS.update(actions or {})
    _KEYS.update(keys or {})
    _MODELS.update(models or {})
    _VALUES.update(values or {})


def value_labels(key: str) -> Mapping[str, str]:
    """The labels of the codes a key stores, for keys that hold codes without choices (a JSON list)."""
    return _VALUES.get(key, {})


def described_by(action: str) -> type[models.Model] | None:
    """The model whose fields an action's stored values are, when it is not the object's own."""
    label = _MODELS.get(action)
    return apps.get_model(label) if label else None


def action_label(action: str, model_name: str = "") -> str:
    """The phrase for an action; an unnamed one reads as its verb and object, never as its code."""
    if action in _ACTIONS:
        return str(_ACTIONS[action])
    verb = action.rpartition(".")[2]
    verb_label = _VERBS.get(verb)
    if verb_label is not None:
        return f"{verb_label}: {model_name}" if model_name else str(verb_label)
    return f"{gettext('Changed')}: {model_name}" if model_name else gettext("Changed")


def key_label(key: str) -> str | None:
    """The registered label of a stored key that is no model field, or None."""
    label = _KEYS.get(key)
    return None if label is None else str(label)


register(
    actions={"setting.change": _("System setting changed")},
    keys={
        "count": _("count"),
        "rows_read": _("rows read"),
        "applied": _("applied"),
        "unit_name": _("unit name"),
        "new_deadline": _("new deadline"),
        "new_kind": _("new kind"),
        "value": _("value"),
        "year": _("year"),
        "date": _("date"),
        "name": _("name"),
        "code": _("code"),
        "status": _("status"),
        "area": _("area"),
        "tasks": _("tasks"),
        "targets": _("targets"),
        "criteria": _("criteria"),
        "maximum": _("maximum"),
        "submitted_at": _("submitted at"),
        "source_document": _("source document"),
        "update": _("update"),
        "results": _("results"),
        "questions": _("questions"),
        "bands": _("bands"),
        "expires": _("expires"),
        "basis": _("basis"),
        "min_index": _("minimum index"),
        "answer_weights": _("answer weights"),
        "label": _("label"),
        "quota": _("quota"),
        "progress": _("progress"),
    },
)
