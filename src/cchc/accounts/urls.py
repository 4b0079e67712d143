from django.urls import path

from cchc.accounts import views

app_name = "accounts"
urlpatterns = [
    path("users/", views.user_list, name="users"),
    path("units/<int:unit_pk>/roles/", views.grant_role, name="grant-role"),
    path("roles/<int:pk>/revoke/", views.revoke_role, name="revoke-role"),
]
