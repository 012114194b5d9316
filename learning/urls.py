from django.urls import path

from . import views

urlpatterns = [
    path("partners/<int:pk>/learning/", views.record_list, name="learning-record-list"),
    path("partners/<int:pk>/learning/new/", views.record_add, name="learning-record-add"),
    path("partners/<int:pk>/learning/upload/", views.record_upload, name="learning-record-upload"),
    path("learning-records/<int:pk>/reverse/", views.record_reverse, name="learning-record-reverse"),
]
