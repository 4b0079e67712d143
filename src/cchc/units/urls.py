from django.urls import path

from cchc.units import import_views, views

app_name = "units"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("import/", import_views.import_units, name="import"),
    path("import/template/", import_views.import_template, name="import-template"),
]
