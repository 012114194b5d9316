"""/api/v1/: every app registers its viewsets on this one router."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from config.auth_api import TokenLoginView, TokenLogoutView
from learning.api import KnowledgeSessionViewSet, LearningRecordViewSet, PointsPolicyViewSet
from loyalty.api import LoyaltyAccountViewSet, RedemptionViewSet
from learning.ce_api import (
    CeActivityViewSet, CeClaimViewSet, CeRenewalPathViewSet, CertificationViewSet, ExamViewSet, RolesAtRiskViewSet,
)
from partners.api import IndividualViewSet, PartnerViewSet, TerritoryViewSet
from specializations.api import ArchitectureViewSet, PartnerSpecializationViewSet, SpecializationViewSet

router = DefaultRouter()
router.register("territories", TerritoryViewSet, basename="territory")
router.register("partners", PartnerViewSet, basename="partner")
router.register("individuals", IndividualViewSet, basename="individual")
router.register("ce-activities", CeActivityViewSet, basename="ce-activity")
router.register("ce-renewal-paths", CeRenewalPathViewSet, basename="ce-renewal-path")
router.register("ce-certifications", CertificationViewSet, basename="ce-certification")
router.register("ce-exams", ExamViewSet, basename="ce-exam")
router.register("ce-claims", CeClaimViewSet, basename="ce-claim")
router.register("ce-roles-at-risk", RolesAtRiskViewSet, basename="ce-role-at-risk")
router.register("architectures", ArchitectureViewSet, basename="architecture")
router.register("specializations", SpecializationViewSet, basename="specialization")
router.register("partner-specializations", PartnerSpecializationViewSet, basename="partner-specialization")
router.register("knowledge-sessions", KnowledgeSessionViewSet, basename="knowledge-session")
router.register("points-policies", PointsPolicyViewSet, basename="points-policy")
router.register("learning-records", LearningRecordViewSet, basename="learning-record")
router.register("loyalty-accounts", LoyaltyAccountViewSet, basename="loyalty-account")
router.register("loyalty-redemptions", RedemptionViewSet, basename="loyalty-redemption")

urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="token-login"),
    path("auth/logout/", TokenLogoutView.as_view(), name="token-logout"),
    path("", include(router.urls)),
]
