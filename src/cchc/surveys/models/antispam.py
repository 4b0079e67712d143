"""What the public forms' protection (`surveys.antispam`) keeps in the database, so that it holds when
many requests arrive at once and whichever process answers them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicPostCount(models.Model):
    """How many public forms of one kind one client sent in one clock hour: the rate limit's counter.

    `client` is the form kind and a keyed hash of the address, never the address itself; `hour` is
    the number of whole hours since the epoch. The count goes up by one conditional UPDATE, so two
    requests can never both take the last place. Rows older than the previous hour are deleted as new
    ones are written.
    """

    client = models.CharField(_("client"), max_length=80)
    hour = models.BigIntegerField(_("hour"), db_index=True)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("public form count")
        verbose_name_plural = _("public form counts")
        constraints = [models.UniqueConstraint(fields=["client", "hour"], name="surveys_post_count_once")]

    def __str__(self) -> str:
        return f"{self.client} @ {self.hour}: {self.count}"


class SpentStamp(models.Model):
    """The random nonce of a public form's stamp whose submission was accepted: a stamp is good for one
    submission only. It is written in the transaction that saves the submission, and the unique nonce
    refuses a second one, however close together they arrive. Rows older than a stamp may live are
    deleted as new ones are written, since such a stamp is refused anyway."""

    nonce = models.CharField(_("nonce"), max_length=40, unique=True)
    kind = models.CharField(_("kind of form"), max_length=20)
    spent_at = models.DateTimeField(_("spent at"), db_index=True)

    class Meta:
        verbose_name = _("spent form stamp")
        verbose_name_plural = _("spent form stamps")

    def __str__(self) -> str:
        return f"{self.kind} {self.nonce}"
