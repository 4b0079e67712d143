"""URL map: pages per app, the API under /api/v1/, OpenAPI at /api/schema/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cchc.accounts.views.signin import ObtainTokenView, RevokeTokenView
from cchc.api import router
from cchc.exchange.api import PackageReceiveView
from cchc.onestop.api import DossierViewSet
from cchc.web.views.favicon import favicon

urlpatterns = [
    path("", include("cchc.web.urls")),
    path("units/", include("cchc.units.urls")),
    path("accounts/", include("cchc.accounts.urls")),
    path("workdays/", include("cchc.workdays.urls")),
    path("plans/", include("cchc.plans.urls")),
    path("onestop/", include("cchc.onestop.urls")),
    path("parindex/", include("cchc.parindex.urls")),
    path("", include("cchc.surveys.urls")),  # /surveys/ for staff, the citizens' pages at the root
    path("audit/", include("cchc.core.urls")),
    path("notifications/", include("cchc.notifications.urls")),
    path("webhooks/", include("cchc.webhooks.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),  # unnamed: no page, so the walks of named URLs leave it out
    # The national portal's clients post without the trailing slash.
    path("api/v1/dossiers/batch", DossierViewSet.as_view({"post": "batch"}), name="dossier-batch-plain"),
    path("exchange/", include("cchc.exchange.urls")),
    path("api/v1/exchange/packages/", PackageReceiveView.as_view(), name="exchange-packages"),
    path("api/v1/", include(router.urls)),
    path("api/v1/auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("api/v1/auth/logout/", RevokeTokenView.as_view(), name="api-logout"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up code as a script of its own: the CSP refuses it inline.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="web/api_docs.html"),
        name="api-docs",
    ),
]
