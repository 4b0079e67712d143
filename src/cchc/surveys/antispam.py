"""Protection of the citizens' public forms against robots and floods, without accounts or captchas.

Every POST of a public form passes three checks, cheapest first:

1. a rate limit per client and per kind of form: at most `CCHC_PUBLIC_POSTS_PER_HOUR` submissions in
   the last sixty minutes, counted in the database (`PublicPostCount`) under a keyed hash of the
   client's address (HMAC with the secret key: the address itself is never stored, and the short IPv4
   space cannot be walked back). The count is kept per clock hour and raised by one conditional
   UPDATE (`count < allowance`), so concurrent requests can never overshoot it, on SQLite or
   PostgreSQL alike; the allowance of this hour is the limit less last hour's count weighted by the
   share of last hour still within sixty minutes (a sliding window estimated from two counters: never
   more than the limit within one clock hour, but a burst at the very end of an hour followed by
   steady posting through the next can reach nearly twice the limit over some sixty minutes);
2. a honeypot: a field people never see and robots fill in;
3. a signed stamp of the moment the form was shown, with a random nonce: a form sent back sooner than
   `CCHC_PUBLIC_MIN_SECONDS` after it was shown, more than two hours later, for another kind of form,
   or with an altered stamp is refused; and a stamp is good for one accepted submission only: the view
   saves the submission through `once`, which records the stamp's nonce (`SpentStamp`, unique) in
   the same transaction, so a stamp sent twice, even at the same instant, is accepted once.

Nothing is saved when a check fails: the view shows the form again, with a new stamp and the message.
Old counters and spent nonces are deleted as new ones are written.
The client is told apart by REMOTE_ADDR, or, behind a reverse proxy, by the request header the proxy
sets (`CCHC_CLIENT_ADDRESS_HEADER`, e.g. `HTTP_X_REAL_IP`); otherwise every citizen would share the
proxy's allowance. Of a forwarded list ("X-Forwarded-For: a, b") only the last address counts: the
one the nearest proxy itself appended; the ones before it are whatever the client chose to send.
"""

import datetime
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from cchc.core.clients import client_address
from cchc.surveys.models import PublicPostCount, SpentStamp

T = TypeVar("T")

HONEYPOT_FIELD = "website"
STAMP_FIELD = "stamp"
STAMP_SALT = "cchc.surveys.public-form"
MAX_AGE_SECONDS = 2 * 60 * 60
WINDOW_SECONDS = 60 * 60


@dataclass(frozen=True)
class Refusal:
    """Why a submission was refused, and the HTTP status to answer with (400, or 429 for the limit)."""

    status: int
    message: str


def _now() -> float:
    return time.time()


def _moment(seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def new_stamp(kind: str) -> str:
    """The signed moment a form of this kind was shown, with a random nonce, for its hidden field."""
    return signing.dumps({"k": kind, "t": _now(), "n": secrets.token_urlsafe(18)}, salt=STAMP_SALT)


def form_context(kind: str) -> dict[str, Any]:
    """What `surveys/public/_antispam.html` needs to render the two hidden fields of a form."""
    return {"stamp": new_stamp(kind), "stamp_field": STAMP_FIELD, "honeypot_field": HONEYPOT_FIELD}


def client_key(request: HttpRequest, kind: str) -> str:
    """The key counting one client's submissions of one kind of form."""
    digest = salted_hmac("cchc.surveys.antispam.client", client_address(request)).hexdigest()[:32]
    return f"{kind}:{digest}"


def _admit(request: HttpRequest, kind: str) -> bool:
    """Count this submission unless the client already made the allowance of the last sixty minutes.

    The row of this hour is created if missing (a conflict-ignoring INSERT: two requests may race to
    create it) and then raised by an UPDATE that only matches while the count is below the allowance:
    the database applies such updates one after another, so exactly `allowance` of them succeed."""
    client, now = client_key(request, kind), _now()
    hour, into = divmod(now, WINDOW_SECONDS)
    hour = int(hour)
    PublicPostCount.objects.filter(hour__lt=hour - 1).delete()
    PublicPostCount.objects.bulk_create([PublicPostCount(client=client, hour=hour)], ignore_conflicts=True)
    previous = PublicPostCount.objects.filter(client=client, hour=hour - 1).values_list("count", flat=True)
    carried = math.ceil(next(iter(previous), 0) * (1 - into / WINDOW_SECONDS))
    allowance = settings.CCHC_PUBLIC_POSTS_PER_HOUR - carried
    counted = PublicPostCount.objects.filter(client=client, hour=hour, count__lt=allowance)
    return counted.update(count=F("count") + 1) == 1


def _stamp_data(raw: str, kind: str) -> dict[str, Any] | None:
    """The stamp's contents when it is genuine, for this kind of form, with a nonce; otherwise None."""
    try:
        data = signing.loads(raw, salt=STAMP_SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:  # altered, missing, or older than the signer allows
        return None
    if not isinstance(data, dict) or data.get("k") != kind or not isinstance(data.get("n"), str):
        return None
    return data


def _already_sent() -> str:
    return _(
        "This form has already been sent once with these answers. It has been loaded again: to send "
        "another one, please check your answers and send it once more."
    )


def _stamp_refusal(raw: str, kind: str) -> Refusal | None:
    data = _stamp_data(raw, kind)
    moment = data.get("t") if data is not None else None
    age = _now() - moment if isinstance(moment, int | float) else None
    if data is None or age is None or age < 0 or age > MAX_AGE_SECONDS:
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
    if SpentStamp.objects.filter(nonce=data["n"]).exists():  # the early answer; `once` has the last word
        return Refusal(400, _already_sent())
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


def once(request: HttpRequest, kind: str, save: Callable[[], T]) -> T:
    """Run `save` (the service that stores the submission) in one transaction with spending the
    form's stamp, after `check` accepted the request. A stamp already spent, even by a request running
    at this very moment, raises a ValidationError with the reason and nothing is saved; if `save`
    fails, the stamp stays unspent."""
    data = _stamp_data(request.POST.get(STAMP_FIELD, ""), kind)
    if data is None:  # `check` refuses such a stamp first; this guards a view that forgot it
        raise ValidationError(_already_sent())
    now = _moment(_now())
    SpentStamp.objects.filter(spent_at__lt=now - datetime.timedelta(seconds=MAX_AGE_SECONDS)).delete()
    with transaction.atomic():
        try:
            with transaction.atomic():
                SpentStamp.objects.create(nonce=data["n"], kind=kind, spent_at=now)
        except IntegrityError:
            raise ValidationError(_already_sent()) from None
        return save()
