from django.urls import path

from cchc.accounts.views import roles

app_name = "accounts"
urlpatterns = [
    path("users/", roles.user_list, name="users"),
    path("units/<int:unit_pk>/roles/", roles.grant_role, name="grant-role"),
    path("roles/<int:pk>/revoke/", roles.revoke_role, name="revoke-role"),
]
