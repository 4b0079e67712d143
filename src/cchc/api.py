"""The API router: each app registers its viewsets here."""

from rest_framework.routers import DefaultRouter

from cchc.accounts.api import UserViewSet
from cchc.core.api import AuditEntryViewSet
from cchc.onestop.api import register as register_onestop
from cchc.parindex.api import register as register_parindex
from cchc.plans.api import register as register_plans
from cchc.surveys.api import register as register_surveys
from cchc.units.api import UnitViewSet
from cchc.workdays.api import register as register_workdays

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("users", UserViewSet, basename="user")
router.register("audit", AuditEntryViewSet, basename="audit")
register_workdays(router)
register_plans(router)
register_onestop(router)
register_parindex(router)
register_surveys(router)
