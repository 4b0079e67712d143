from django.urls import path

from cchc.accounts import views

app_name = "accounts"
urlpatterns = [path("users/", views.user_list, name="users")]
