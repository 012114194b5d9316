from django.urls import path

from . import views

urlpatterns = [
    path("integrations/", views.integration_list, name="integration-list"),
    path("integrations/<int:pk>/revoke/", views.integration_revoke, name="integration-revoke"),
]
