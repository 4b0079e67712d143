from django.urls import path

from cchc.units import views

app_name = "units"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
]
