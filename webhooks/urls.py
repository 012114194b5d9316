from django.urls import path

from . import views

urlpatterns = [
    path("webhooks/", views.endpoint_list, name="webhook-list"),
    path("webhooks/new/", views.endpoint_create, name="webhook-create"),
    path("webhooks/<int:pk>/", views.endpoint_detail, name="webhook-detail"),
    path("webhooks/<int:pk>/edit/", views.endpoint_edit, name="webhook-edit"),
    path("webhooks/<int:pk>/enabled/", views.endpoint_toggle, name="webhook-toggle"),
    path("webhooks/<int:pk>/rotate-secret/", views.endpoint_rotate, name="webhook-rotate"),
    path("webhooks/<int:pk>/test/", views.endpoint_test, name="webhook-test"),
    path("webhooks/deliveries/<int:pk>/resend/", views.delivery_resend, name="webhook-resend"),
]
