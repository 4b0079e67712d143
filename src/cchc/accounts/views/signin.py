"""Two-step sign-in pages (the one-time code, setting up an authenticator) and the API's token door."""

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.shortcuts import redirect, render, resolve_url
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.accounts import api_tokens, services, twofactor
from cchc.accounts.models import ApiToken
from cchc.accounts.signin import lockout_message


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _entered_code(data) -> str:
    """The code as typed: apps show it as "123 456", people copy it with spaces."""
    return "".join(str(data.get("code", "") or "").split())


@never_cache
@login_required
@sensitive_post_parameters("code")
def code(request):
    """After the password: the six-digit code from the user's authenticator app."""
    device = twofactor.confirmed_device(request.user)
    if device is None:
        return redirect("accounts:two-factor")
    if request.user.is_verified():
        return redirect(_next_url(request))
    error = ""
    if request.method == "POST":
        error = twofactor.check_code(request.user, device, _entered_code(request.POST))
        if not error:
            device.refresh_from_db()
            # The session gains rights: give it a new key, as signing in with the password did.
            request.session.cycle_key()
            django_otp.login(request, device)
            return redirect(_next_url(request))
    return render(request, "registration/two_factor_code.html", {"error": error, "next": _next_url(request)})


@never_cache
@login_required
@sensitive_post_parameters("code")
def two_factor(request):
    """Setting up two-step sign-in (a QR code and the secret as text), or turning it off."""
    user, error = request.user, ""
    device = twofactor.confirmed_device(user)
    required = twofactor.is_required(user)
    if device is not None and not user.is_verified():
        # Someone holding only the password must not replace or remove the owner's authenticator.
        return redirect("accounts:two-factor-code")
    if device is not None:
        if request.method == "POST" and not required:
            error = twofactor.check_code(user, device, _entered_code(request.POST))
            if not error:
                services.remove_totp_devices(actor=user, user=user, reason=_("Turned off by the user."))
                twofactor.remember_step(request, user)
                messages.success(request, _("Two-step sign-in is off."))
                return redirect("accounts:two-factor")
        return render(
            request, "accounts/two_factor.html", {"enabled": True, "required": required, "error": error}
        )
    # Each showing of the page has a new secret; the form confirms the one shown last.
    pending = services.pending_totp_device(user=user, fresh=request.method != "POST")
    if request.method == "POST":
        error = twofactor.throttled_message(pending)
        if not error and services.confirm_totp_device(
            user=user, device=pending, code=_entered_code(request.POST)
        ):
            pending.refresh_from_db()
            # The session gains rights (a required role could do nothing before): a new key, as at sign-in.
            request.session.cycle_key()
            django_otp.login(request, pending)
            twofactor.remember_step(request, user)
            messages.success(request, _("Two-step sign-in is on. From now on, sign-in asks for a code."))
            return redirect(_next_url(request))
        pending.refresh_from_db()
        error = error or twofactor.wrong_code_message()
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": False,
            "required": required,
            "error": error,
            "qr_svg": twofactor.qr_svg(pending),
            "secret": twofactor.secret_text(pending),
            "next": _next_url(request),
        },
    )


class TokenRequestSerializer(AuthTokenSerializer):
    otp = serializers.CharField(
        label=gettext_lazy("One-time code"),
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=gettext_lazy("Required for users who sign in with a one-time code."),
    )


TOKEN_RESPONSE = inline_serializer(
    "AuthToken", {"token": serializers.CharField(), "expires": serializers.DateTimeField()}
)


@method_decorator(sensitive_post_parameters("password", "otp"), name="dispatch")
class ObtainTokenView(APIView):
    """A token for the API from a user name and password (and the one-time code, if the user has one).

    Failed attempts count towards django-axes' lockout like the sign-in page's; the token expires after
    CCHC_API_TOKEN_HOURS and is deleted when the user signs out or changes the password.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TOKEN_RESPONSE},
        examples=[
            OpenApiExample(
                "Đăng nhập bằng mật khẩu và mã một lần",
                value={"username": "stp.daumoi", "password": "mật khẩu của bạn", "otp": "123456"},
                request_only=True,
            ),
            OpenApiExample(
                "Khoá API",
                value={
                    "token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",
                    "expires": "2026-12-08T08:00:00+07:00",
                },
                response_only=True,
            ),
        ],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        valid = serializer.is_valid()
        if getattr(request, "axes_locked_out", False):
            return Response({"detail": lockout_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        if not valid:
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        user = serializer.validated_data["user"]
        device = twofactor.confirmed_device(user)
        if device is not None:
            entered = _entered_code({"code": serializer.validated_data.get("otp", "")})
            error = twofactor.check_code(user, device, entered)
            if error:
                return Response({"otp": [error]}, status=status.HTTP_400_BAD_REQUEST)
        elif twofactor.is_required(user):
            return Response(
                {
                    "detail": _(
                        "Your role requires two-step sign-in: set it up in the web interface first, "
                        "then send the code from your app in the field otp."
                    )
                },
                status=status.HTTP_403_FORBIDDEN,
            )
        # A success clears the failures counted against this user name, as a web sign-in does.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        token = services.issue_api_token(user=user)
        return Response({"token": token.key, "expires": services.token_expires_at(token)})


class RevokeTokenView(APIView):
    """Signing out of the API: the caller's token stops working at once.

    Called with a named API key (Khoá API), it revokes that key, as its owner would on the page, and
    leaves the owner's other keys and per-user token alone: the program signs out, not the person.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            api_tokens.revoke_token(actor=request.user, token=request.auth)
        else:
            services.revoke_api_tokens(actor=request.user, user=request.user, reason=_("Signed out."))
        return Response(status=status.HTTP_204_NO_CONTENT)
