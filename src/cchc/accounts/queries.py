"""Which users a user may see: those holding a role on a unit in their scope, and themselves."""

from django.db.models import Q

from cchc.accounts.models import User
from cchc.accounts.permissions import acts_as_superuser, scope_filter


def users_for(user, action: str = "view"):
    if acts_as_superuser(user):
        return User.objects.all()
    return User.objects.filter(
        Q(pk=user.pk)
        | Q(pk__in=User.objects.filter(scope_filter(user, action, "role_assignments__unit__path")))
    ).distinct()
