from django.urls import path

from cchc.units.views import imports, units

app_name = "units"
urlpatterns = [
    path("", units.tree, name="tree"),
    path("<int:pk>/", units.detail, name="detail"),
    path("import/", imports.import_units, name="import"),
    path("import/template/", imports.import_template, name="import-template"),
]
