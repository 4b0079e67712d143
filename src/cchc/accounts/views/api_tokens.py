"""The page "Khoá API": a person's own keys (make, revoke); administrators also see their units' keys."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cchc.accounts import api_tokens
from cchc.accounts.forms import ApiTokenForm


def _rows(tokens):
    return [{"token": token, "state": api_tokens.state(token)} for token in tokens]


@login_required
def token_list(request):
    return render(
        request,
        "accounts/api_token_list.html",
        {
            "own": _rows(api_tokens.own_tokens(request.user)),
            "administered": _rows(api_tokens.administered_tokens(request.user)[:500]),
        },
    )


@never_cache
@login_required
def token_create(request):
    """The form; after making the key, the same page shows its secret, once (never stored, never cached)."""
    form = ApiTokenForm(
        request.POST or None, owner=request.user, initial={"expires_on": api_tokens.default_expiry()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            token, key = api_tokens.create_token(
                actor=request.user,
                owner=request.user,
                name=form.cleaned_data["name"],
                role_assignment=form.cleaned_data["role_assignment"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return render(request, "accounts/api_token_secret.html", {"token": token, "key": key})
    return render(request, "accounts/api_token_form.html", {"form": form})


@login_required
def token_revoke(request, pk: int):
    """A confirmation page (GET) and the revocation (POST); another person's key out of reach is a 404."""
    token = get_object_or_404(api_tokens.visible_tokens(request.user), pk=pk)
    if not api_tokens.may_revoke(request.user, token):
        raise PermissionDenied
    if request.method == "POST":
        api_tokens.revoke_token(actor=request.user, token=token)
        messages.success(request, _("The API key %(name)s was revoked.") % {"name": token.name})
        return redirect("accounts:api-tokens")
    return render(
        request, "accounts/api_token_revoke.html", {"token": token, "state": api_tokens.state(token)}
    )
