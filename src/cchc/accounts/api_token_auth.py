"""The API's door for named keys (`ApiToken`): `Authorization: Bearer cchc_…` or `Token cchc_…`.

A key that opens the door hands the request a user who acts with the key's one role on its unit
(`permissions.API_TOKEN_ATTR`, read by `scope_paths`) and whose audited changes name the key
(`core.audit.AUDIT_VIA_ATTR`). Any other `Token` value is left to the older one-per-user tokens
(`accounts.tokens`), so both kinds keep working.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from cchc.accounts import api_tokens
from cchc.accounts.permissions import API_TOKEN_ATTR
from cchc.core.audit import AUDIT_VIA_ATTR
from cchc.core.clients import client_address

SCHEMES = (b"bearer", b"token")


def via_text(token) -> str:
    """How the audit trail names the key; stored in the site's language whatever the caller's."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("via API key «%(name)s»") % {"name": token.name}


class ApiTokenAuthentication(BaseAuthentication):
    """Finds the key by its hash; refuses (401) a revoked, expired or unknown key, a key whose role was
    withdrawn and a key of a deactivated account."""

    keyword = "Bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() not in SCHEMES:
            return None
        try:
            key = parts[1].decode()
        except UnicodeError:
            return None
        if not key.startswith(api_tokens.KEY_PREFIX):
            return None  # an older token: accounts.tokens answers for it
        token = api_tokens.find_by_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This API key is not known. Check that it was copied whole.")
            )
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This API key was revoked."))
        if api_tokens.is_expired(token):
            raise exceptions.AuthenticationFailed(
                _("This API key has expired. Make a new one on the page API keys.")
            )
        user = token.owner
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is deactivated."))
        if token.role_assignment is None:
            raise exceptions.AuthenticationFailed(
                _("The role this API key acted with was withdrawn, so the key no longer works.")
            )
        api_tokens.note_use(token, client_address(request))
        setattr(user, API_TOKEN_ATTR, token)
        setattr(user, AUDIT_VIA_ATTR, via_text(token))
        return user, token

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the API documentation describes the named keys."""

    target_class = "cchc.accounts.api_token_auth.ApiTokenAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A named API key made on the page Khoá API: `Authorization: Bearer cchc_…`.",
        }
