from django.urls import path

from cchc.workdays.views import year

app_name = "workdays"
urlpatterns = [
    path("", year.calendar_page, name="calendar"),
    # The override's id travels in the form, not the URL: the calendar belongs to no unit.
    path("overrides/save/", year.save_override, name="override_save"),
    path("overrides/delete/", year.delete_override, name="override_delete"),
]
