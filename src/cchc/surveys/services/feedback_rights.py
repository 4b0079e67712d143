"""Who may do what on a feedback item, for the pages to offer only what a user may do and to refuse
the rest before reading the form.

The reform office of the receiving authority (PLAN on `organiser`) routes, closes, and may do
everything the responsible unit does; the unit's staff (ENTER on `unit`) refuse, ask for
information, answer and publish. The services check the same rights again (`require`), and the
status rules are theirs alone.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cchc.accounts.permissions import ENTER, PLAN, has_unit_permission
from cchc.surveys.models import Feedback, FeedbackStatus
from cchc.surveys.queries.feedback import PENDING, PUBLISHABLE
from cchc.units.models import Unit

# The actions only the reform office takes; the others are the handler's.
OFFICE_ACTIONS = frozenset({"route", "close"})


@dataclass(frozen=True)
class Rights:
    office: bool  # the reform office of the receiving authority (PLAN on it)
    handler: bool  # the office, or the responsible unit's staff (ENTER on it)

    @classmethod
    def of(cls, user: Any, feedback: Feedback) -> "Rights":
        office = has_unit_permission(user, PLAN, feedback.organiser)
        unit_staff = feedback.unit is not None and has_unit_permission(user, ENTER, feedback.unit)
        return cls(office=office, handler=office or unit_staff)


def allowed_actions(user: Any, feedback: Feedback) -> set[str]:
    """The actions to offer on the page: what the user's rights and the feedback's status allow."""
    rights, status = Rights.of(user, feedback), feedback.status
    offered = set()
    if rights.office and status in PENDING:
        offered.add("route")
    if rights.handler and status in PENDING:
        offered.add("refuse")
    if rights.handler and status == FeedbackStatus.ROUTED and feedback.info_requested_at is None:
        offered.add("request-info")
    if rights.handler and status == FeedbackStatus.INFO_REQUESTED:
        offered.add("info-received")
    if rights.handler and status == FeedbackStatus.ROUTED and feedback.unit is not None:
        offered.add("answer")
    if (
        rights.handler
        and status in PUBLISHABLE
        and feedback.consent_to_publish
        and feedback.published_at is None
    ):
        offered.add("publish")
    if rights.office and status == FeedbackStatus.ANSWERED:
        offered.add("close")
    return offered


def require_right(user: Any, feedback: Feedback, action: str) -> None:
    """PermissionDenied unless the user holds the right that `action` needs (whatever the status)."""
    rights = Rights.of(user, feedback)
    if not (rights.office if action in OFFICE_ACTIONS else rights.handler):
        raise PermissionDenied(_("You may not handle this feedback."))


def may_leave_unrouted(user: Any, organiser: Unit) -> bool:
    """Feedback entered without a responsible unit belongs to the receiving authority: only who may
    enter for that authority as a whole leaves it unrouted."""
    return has_unit_permission(user, ENTER, organiser)
