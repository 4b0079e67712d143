from django.urls import path

from cchc.accounts.views import api_tokens, roles, signin

app_name = "accounts"
urlpatterns = [
    path("users/", roles.user_list, name="users"),
    path("units/<int:unit_pk>/roles/", roles.grant_role, name="grant-role"),
    path("roles/<int:pk>/revoke/", roles.revoke_role, name="revoke-role"),
    path("two-factor/", signin.two_factor, name="two-factor"),
    path("two-factor/code/", signin.code, name="two-factor-code"),
    path("api-keys/", api_tokens.token_list, name="api-tokens"),
    path("api-keys/new/", api_tokens.token_create, name="api-token-create"),
    path("api-keys/<int:pk>/revoke/", api_tokens.token_revoke, name="api-token-revoke"),
]
