"""Protection of the citizens' public forms against robots and floods, without accounts or captchas.

Every POST of a public form passes three checks, cheapest first:

1. a rate limit per client and per kind of form: at most `CCHC_PUBLIC_POSTS_PER_HOUR` submissions in
   any sixty minutes, counted in Django's cache under a keyed hash of the client's address (HMAC with
   the secret key: the address itself is never stored, and the short IPv4 space cannot be walked back);
2. a honeypot: a field people never see and robots fill in;
3. a signed stamp of the moment the form was shown: a form sent back sooner than
   `CCHC_PUBLIC_MIN_SECONDS` after it was shown, more than two hours later, for another kind of form,
   or with an altered stamp is refused.

Nothing is saved when a check fails: the view shows the form again, with a new stamp and the message.
The client is told apart by REMOTE_ADDR, or, behind a reverse proxy, by the request header the proxy
sets (`CCHC_CLIENT_ADDRESS_HEADER`, e.g. `HTTP_X_REAL_IP`); otherwise every citizen would share the
proxy's allowance. Only the first address of a forwarded list is used.
"""

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

HONEYPOT_FIELD = "website"
STAMP_FIELD = "stamp"
STAMP_SALT = "cchc.surveys.public-form"
MAX_AGE_SECONDS = 2 * 60 * 60
WINDOW_SECONDS = 60 * 60
CACHE_PREFIX = "cchc:public-posts"


@dataclass(frozen=True)
class Refusal:
    """Why a submission was refused, and the HTTP status to answer with (400, or 429 for the limit)."""

    status: int
    message: str


def _now() -> float:
    return time.time()


def new_stamp(kind: str) -> str:
    """The signed moment a form of this kind was shown, for its hidden field."""
    return signing.dumps({"k": kind, "t": _now()}, salt=STAMP_SALT)


def form_context(kind: str) -> dict[str, Any]:
    """What `surveys/public/_antispam.html` needs to render the two hidden fields of a form."""
    return {"stamp": new_stamp(kind), "stamp_field": STAMP_FIELD, "honeypot_field": HONEYPOT_FIELD}


def client_key(request: HttpRequest, kind: str) -> str:
    """The cache key counting one client's submissions of one kind of form."""
    header = settings.CCHC_CLIENT_ADDRESS_HEADER
    forwarded = request.META.get(header, "") if header else ""
    address = forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR") or ""
    digest = salted_hmac("cchc.surveys.antispam.client", address).hexdigest()[:32]
    return f"{CACHE_PREFIX}:{kind}:{digest}"


def _admit(request: HttpRequest, kind: str) -> bool:
    """Count this submission unless the client already made the hour's allowance (a sliding window)."""
    key, now = client_key(request, kind), _now()
    recent = [moment for moment in cache.get(key, []) if now - moment < WINDOW_SECONDS]
    if len(recent) >= settings.CCHC_PUBLIC_POSTS_PER_HOUR:
        return False
    cache.set(key, [*recent, now], WINDOW_SECONDS)
    return True


def _stamp_refusal(raw: str, kind: str) -> Refusal | None:
    try:
        data = signing.loads(raw, salt=STAMP_SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:  # altered, missing, or older than the signer allows
        data = None
    moment = data.get("t") if isinstance(data, dict) and data.get("k") == kind else None
    age = _now() - moment if isinstance(moment, int | float) else None
    if age is None or age < 0 or age > MAX_AGE_SECONDS:
        return Refusal(
            400,
            _(
                "The form was open for too long or could not be checked. It has been loaded again: "
                "please check your answers and send it once more."
            ),
        )
    if age < settings.CCHC_PUBLIC_MIN_SECONDS:
        return Refusal(
            400, _("The form was sent too quickly. Please check your answers and send it once more.")
        )
    return None


def check(request: HttpRequest, kind: str) -> Refusal | None:
    """None when the POST may go on to the form and the service; otherwise the reason for refusing it."""
    if not _admit(request, kind):
        return Refusal(
            429,
            _("Too many forms were sent from your connection in the last hour. Please try again later."),
        )
    if request.POST.get(HONEYPOT_FIELD, ""):
        return Refusal(400, _("The form could not be accepted. Please fill it in once more."))
    return _stamp_refusal(request.POST.get(STAMP_FIELD, ""), kind)
