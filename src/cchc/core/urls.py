from django.urls import path

from cchc.core.views import audit

app_name = "core"
urlpatterns = [
    path("", audit.audit_list, name="audit"),
    path("<int:content_type_id>/<str:object_id>/", audit.object_history, name="history"),
]
