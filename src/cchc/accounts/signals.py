"""Reactions to signing in and out, connected in AccountsConfig.ready."""

from axes.models import AccessAttempt
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cchc.accounts import services, twofactor
from cchc.accounts.middleware import start_session_clock


@receiver(user_logged_in, dispatch_uid="cchc.accounts.signed_in")
def signed_in(sender, request, user, **kwargs):
    """A new sign-in starts the session's clocks and works out whether a one-time code is still owed."""
    if not isinstance(request, HttpRequest):  # the API's token door: no session to set up
        return
    start_session_clock(request)
    twofactor.remember_step(request, user)


@receiver(user_logged_in, dispatch_uid="cchc.accounts.failures_cleared")
def failures_cleared(sender, request, user, **kwargs):
    """A sign-in (web, admin or API token) clears the failed attempts made for this user name, from any
    address, and nothing else: failures for other user names still count against the address."""
    AccessAttempt.objects.filter(username=user.get_username()).delete()


@receiver(user_logged_out, dispatch_uid="cchc.accounts.signed_out")
def signed_out(sender, request, user, **kwargs):
    """Signing out of the web interface also ends the user's API token."""
    if user is not None:
        services.revoke_api_tokens(actor=user, user=user, reason=_("Signed out."))
