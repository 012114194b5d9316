"""/api/v1/: every app registers its viewsets on this one router."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from config.auth_api import TokenLoginView, TokenLogoutView
from compliance.api import (
    CertificationViewSet, HybridITServiceViewSet, PortfolioViewSet, SupportAgreementViewSet, SupportCapabilityViewSet,
    VerdictViewSet,
)
from csat.api import FollowUpViewSet, MeasurementDateViewSet, SurveyResponseViewSet
from learning.api import KnowledgeSessionViewSet, LearningRecordViewSet, PointsPolicyViewSet
from partners.api import IndividualViewSet, PartnerViewSet, TerritoryViewSet
from renewals.api import (
    CredentialRenewalView, IncidentViewSet, NoticeViewSet, RenewalApplicationViewSet, RenewalsDueView,
)
from specializations.api import ArchitectureViewSet, PartnerSpecializationViewSet, SpecializationViewSet

router = DefaultRouter()
router.register("territories", TerritoryViewSet, basename="territory")
router.register("partners", PartnerViewSet, basename="partner")
router.register("individuals", IndividualViewSet, basename="individual")
router.register("renewal-applications", RenewalApplicationViewSet, basename="renewal-application")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("notices", NoticeViewSet, basename="notice")
router.register("certifications", CertificationViewSet, basename="certification")
router.register("verdicts", VerdictViewSet, basename="verdict")
router.register("portfolio", PortfolioViewSet, basename="portfolio")
router.register("hybrid-it-services", HybridITServiceViewSet, basename="hybrid-it-service")
router.register("support-agreements", SupportAgreementViewSet, basename="support-agreement")
router.register("support-capabilities", SupportCapabilityViewSet, basename="support-capability")
router.register("csat-responses", SurveyResponseViewSet, basename="csat-response")
router.register("csat-follow-ups", FollowUpViewSet, basename="csat-follow-up")
router.register("csat-measurement-dates", MeasurementDateViewSet, basename="csat-measurement-date")
router.register("architectures", ArchitectureViewSet, basename="architecture")
router.register("specializations", SpecializationViewSet, basename="specialization")
router.register("partner-specializations", PartnerSpecializationViewSet, basename="partner-specialization")
router.register("knowledge-sessions", KnowledgeSessionViewSet, basename="knowledge-session")
router.register("points-policies", PointsPolicyViewSet, basename="points-policy")
router.register("learning-records", LearningRecordViewSet, basename="learning-record")

urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="token-login"),
    path("auth/logout/", TokenLogoutView.as_view(), name="token-logout"),
    path("renewals/due/", RenewalsDueView.as_view(), name="renewals-due"),
    path("renewals/<slug:kind>/<int:pk>/", CredentialRenewalView.as_view(), name="credential-renewal"),
    path("", include(router.urls)),
]
