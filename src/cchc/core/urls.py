from django.urls import path

from cchc.core import views

app_name = "core"
urlpatterns = [
    path("", views.audit_list, name="audit"),
    path("<int:content_type_id>/<str:object_id>/", views.object_history, name="history"),
]
