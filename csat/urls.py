from django.urls import path

from . import views

urlpatterns = [
    path("partners/<int:pk>/csat/", views.partner_responses, name="csat-partner"),
    path("csat/responses/<int:pk>/follow-up/", views.followup_add, name="csat-followup-add"),
    path("csat/import/", views.responses_import, name="csat-import"),
    path("csat/measurement-dates/", views.measurement_dates, name="csat-measurement-dates"),
    path("csat/measurement-dates/<int:pk>/", views.measurement_date_edit, name="csat-measurement-date-edit"),
]
