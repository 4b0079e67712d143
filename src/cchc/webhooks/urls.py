from django.urls import path

from cchc.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.subscription_list, name="list"),
    path("new/", views.subscription_create, name="create"),
    path("<int:pk>/", views.subscription_edit, name="edit"),
    path("<int:pk>/delete/", views.subscription_delete, name="delete"),
    path("<int:pk>/secret/", views.subscription_secret, name="secret"),
    path("<int:pk>/rotate/", views.subscription_rotate, name="rotate"),
    path("<int:pk>/deliveries/", views.delivery_log, name="deliveries"),
    path("deliveries/<int:pk>/resend/", views.delivery_resend, name="resend"),
]
