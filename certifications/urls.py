from django.urls import path

from . import views

urlpatterns = [
    path("", views.ce_home, name="ce-home"),
    path("activities/", views.activity_list, name="ce-activity-list"),
    path("individuals/<int:pk>/", views.individual_page, name="ce-individual"),
    path("individuals/<int:pk>/claims/new/", views.claim_submit, name="ce-claim-submit"),
    path("individuals/<int:pk>/certifications/new/", views.certification_add, name="ce-certification-add"),
    path("individuals/<int:pk>/exams/new/", views.exam_add, name="ce-exam-add"),
    path("certifications/<int:pk>/renew/", views.certification_renew, name="ce-certification-renew"),
    path("partners/<int:pk>/people/", views.partner_people, name="ce-partner-people"),
    path("review/", views.review_queue, name="ce-review-queue"),
    path("claims/<int:pk>/", views.claim_detail, name="ce-claim-detail"),
    path("claims/<int:pk>/review/", views.claim_review, name="ce-claim-review"),
    path("claims/<int:pk>/certificate/", views.claim_certificate, name="ce-claim-certificate"),
]
