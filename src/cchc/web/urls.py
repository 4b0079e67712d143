from django.urls import path

from cchc.web.views import brief, home, overview, search

app_name = "web"
urlpatterns = [
    path("", home.dashboard, name="dashboard"),
    path("overview/", overview.overview, name="overview"),
    path("navigation/", home.sidebar, name="navigation"),
    path("search/", search.search_page, name="search"),
    path("brief/", brief.brief_page, name="brief"),
    path("brief/<int:pk>/", brief.brief_detail, name="brief-detail"),
    path("brief/<int:pk>/<slug:kind>/", brief.brief_download, name="brief-download"),
    path("brief/schedules/", brief.schedule_list, name="brief-schedules"),
    path("brief/schedules/new/", brief.schedule_new, name="brief-schedule-new"),
    path("brief/schedules/<int:pk>/", brief.schedule_edit, name="brief-schedule"),
    path("brief/schedules/<int:pk>/delete/", brief.schedule_delete, name="brief-schedule-delete"),
]
