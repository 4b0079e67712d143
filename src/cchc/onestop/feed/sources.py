"""Adding and changing feed sources, with their audit rows, and the form the page uses."""

import urllib.parse
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cchc.accounts.permissions import ADMINISTER, has_global_permission
from cchc.core import audit
from cchc.onestop.models import FeedSource

# Fields written to the change log; the credentials only as "changed", never their value.
LOGGED = ("name", "base_url", "page_size", "interval_minutes", "enabled", "timeout_seconds", "max_retries")


def may_manage(user: Any) -> bool:
    """Administrators of the whole province (the reform office): the feed fills every unit's data."""
    return bool(user and user.is_authenticated and has_global_permission(user, ADMINISTER))


class FeedSourceForm(forms.ModelForm):
    """A source's settings. The credentials field is never filled back in: left empty on a change,
    the stored value stays."""

    base_url = forms.URLField(
        label=capfirst(_("address of the API")),  # as Django writes the labels it makes itself
        max_length=500,
        assume_scheme="https",
    )
    credentials = forms.CharField(
        label=capfirst(_("authorization header")),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Sent as the Authorization header, e.g. “Bearer …”. Leave empty to keep the current one."
        ),
    )

    class Meta:
        model = FeedSource
        fields = [
            "name",
            "base_url",
            "credentials",
            "page_size",
            "interval_minutes",
            "timeout_seconds",
            "max_retries",
            "enabled",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # In place of URLField's own check, not beside it: both would refuse a bad address, and the
        # page would say so twice. Not ftp: the feed speaks HTTP only.
        self.fields["base_url"].validators = [URLValidator(schemes=["http", "https"])]
        self.fields["page_size"].validators.append(_between(1, 5000))
        self.fields["interval_minutes"].validators.append(_between(1, 7 * 24 * 60))
        self.fields["timeout_seconds"].validators.append(_between(1, 600))
        self.fields["max_retries"].validators.append(_between(0, 10))

    def clean_base_url(self) -> str:
        value = self.cleaned_data.get("base_url") or ""
        parts = urllib.parse.urlsplit(value)
        try:
            parts.port  # noqa: B018 - refuses a port beyond 65535, which the request would fail on
        except ValueError:
            raise forms.ValidationError(_("Enter a valid URL.")) from None
        if parts.username or parts.password:  # they would be shown on the page: the header is for them
            raise forms.ValidationError(_("The address may not contain a user name or password."))
        return value

    def clean_credentials(self) -> str:
        value = self.cleaned_data.get("credentials") or ""
        # A header value is visible ASCII and spaces: a line break would add headers of its own, and
        # the request would fail with the value in the error (then in the logs). Never echoed back.
        if any(not (" " <= char <= "~") for char in value):
            raise forms.ValidationError(
                _(
                    "The authorization header may hold only Latin letters without accents, digits, "
                    "spaces and signs."
                )
            )
        return value or (self.instance.credentials if self.instance.pk else "")


def _between(low: int, high: int) -> Any:
    def check(value: int) -> None:
        if value is not None and not low <= value <= high:
            raise forms.ValidationError(
                _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
            )

    return check


def save_source(*, actor: Any, form: FeedSourceForm) -> FeedSource:
    """Save the form's source and write the audit row in the same transaction."""
    creating = form.instance.pk is None
    before = {} if creating else _logged(FeedSource.objects.get(pk=form.instance.pk))
    old_credentials = "" if creating else FeedSource.objects.get(pk=form.instance.pk).credentials
    with transaction.atomic():
        source = form.save()
        after = _logged(source)
        if source.credentials != old_credentials:
            after["credentials"] = "changed"
        audit.record(
            actor=actor,
            action="onestop.feed_source_create" if creating else "onestop.feed_source_update",
            obj=source,
            before=before,
            after=after,
        )
    return source


def _logged(source: FeedSource) -> dict[str, Any]:
    return {name: getattr(source, name) for name in LOGGED}
