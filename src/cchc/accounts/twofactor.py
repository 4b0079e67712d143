"""Two-step sign-in with a one-time code (TOTP, django-otp): who must use it and where a session stands.

A user with a confirmed TOTP device gives a code after the password; holders of the roles in
CCHC_REQUIRE_2FA_ROLES must set one up before they can do anything else. Until then a signed-in session
only reaches the code page, the set-up page and signing out (`middleware.SecondFactorMiddleware`).
The step a session still owes is kept in the session, worked out once per sign-in.
"""

import base64

import django_otp
import segno
from django.conf import settings
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from cchc.accounts.models import Role, RoleAssignment, User

SESSION_KEY = "cchc.second_factor"
VERIFY = "verify"  # the user has a device: the session needs a code
ENROL = "enrol"  # the user must have a device and has none
DONE = ""


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_required(user: User) -> bool:
    roles = settings.CCHC_REQUIRE_2FA_ROLES
    if not roles:
        return False
    # The installation's technical administrators (superusers, staff of the admin site) outrank any unit
    # administrator, usually without holding a role: requiring it of administrators requires it of them.
    if Role.ADMINISTRATOR in roles and (user.is_superuser or user.is_staff):
        return True
    return RoleAssignment.objects.filter(user=user, role__in=roles).exists()


def step_for(user: User) -> str:
    if confirmed_device(user) is not None:
        return VERIFY
    return ENROL if is_required(user) else DONE


def remember_step(request: HttpRequest, user: User) -> str:
    step = step_for(user)
    request.session[SESSION_KEY] = [user.pk, step]
    return step


def pending_step(request: HttpRequest) -> str:
    """What the signed-in, not yet verified session still owes: VERIFY, ENROL or DONE."""
    user = request.user
    assert isinstance(user, User), "only for signed-in sessions"
    saved = request.session.get(SESSION_KEY)
    if isinstance(saved, list) and len(saved) == 2 and saved[0] == user.pk:
        return saved[1]
    return remember_step(request, user)


def secret_text(device: TOTPDevice) -> str:
    """The device's secret as people type it into an authenticator app: base32 in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// address as an inline SVG QR code (no script, no style attribute).

    Safe to insert as markup: segno writes only its own elements; the address is in the modules drawn.
    """
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return mark_safe(svg)


def throttled_message(device: TOTPDevice) -> str:
    """Why the device refuses any code for now (django-otp waits longer after each wrong code), or ""."""
    allowed, _details = device.verify_is_allowed()
    if allowed:
        return ""
    return _("Too many wrong codes. Wait a minute, then enter the code your app shows now.")


def wrong_code_message() -> str:
    return _("The code is wrong or has expired. Enter the code your app shows now.")


def check_code(user: User, device: TOTPDevice, entered: str) -> str:
    """ "" when `entered` is the device's current code (each code is accepted once), else the reason."""
    refusal = throttled_message(device)
    if refusal:
        return refusal
    if django_otp.verify_token(user, device.persistent_id, entered) is None:
        return wrong_code_message()
    return ""
