from django.urls import path

from . import specialization_views as views

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("partners/<int:pk>/specializations/", views.partner_specializations, name="partner-specializations"),
    path(
        "partner-specializations/<int:pk>/", views.partner_specialization_detail, name="partner-specialization-detail"
    ),
    path("partner-specializations/<int:pk>/allocate/", views.role_allocate, name="role-allocate"),
    path("partner-specializations/<int:pk>/assign/", views.plan_assign, name="plan-assign"),
    path("role-allocations/<int:pk>/release/", views.role_release, name="role-release"),
]
