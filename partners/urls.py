from django.urls import path

from . import views

urlpatterns = [
    path("partners/", views.partner_list, name="partner-list"),
    path("partners/<int:pk>/", views.partner_detail, name="partner-detail"),
    path("partners/<int:pk>/timeline/", views.partner_timeline, name="partner-timeline"),
    path("partners/<int:pk>/individuals/new/", views.individual_add, name="individual-add"),
]
