from django.urls import path

from cchc.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    # The override's id travels in the form, not the URL: the calendar belongs to no unit.
    path("overrides/save/", views.save_override, name="override_save"),
    path("overrides/delete/", views.delete_override, name="override_delete"),
]
