from django.urls import path

from . import views

urlpatterns = [
    path("renewals/", views.renewals_due, name="renewals-due"),
    path("renewals/<slug:kind>/<int:pk>/", views.renewal_detail, name="renewal-detail"),
    path("renewals/applications/<int:pk>/decide/", views.application_decide, name="renewal-decide"),
    path("incidents/", views.incident_list, name="incident-list"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident-detail"),
    path("partners/<int:pk>/notices/", views.partner_notices, name="partner-notices"),
]
