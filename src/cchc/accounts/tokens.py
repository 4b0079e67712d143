"""API tokens that expire: CCHC_API_TOKEN_HOURS after they were issued a token no longer opens the API."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from cchc.accounts import services
from cchc.core.audit import AUDIT_VIA_ATTR


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing (and deleting) a token older than CCHC_API_TOKEN_HOURS."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user").get(key=key)
        except model.DoesNotExist:
            # Tokens now end on signing out and on a new password, so clients meet this answer often:
            # say why in Vietnamese (DRF's own text has no Vietnamese translation).
            raise exceptions.AuthenticationFailed(
                _(
                    "This API token is not valid: it may have ended when you signed out or changed "
                    "your password. Ask for a new one at /api/v1/auth/token/."
                )
            ) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is deactivated."))
        if services.token_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(
                _("This API token has expired. Ask for a new one at /api/v1/auth/token/.")
            )
        # The audit trail names the channel of every API write; this older kind of token has no name.
        with translation.override(settings.LANGUAGE_CODE):
            setattr(token.user, AUDIT_VIA_ATTR, _("via a sign-in API token"))
        return token.user, token
