"""/api/v1/: every app registers its viewsets on this one router (modules imported whole, so two
apps may use the same class name)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from certifications import api as ce_api
from compliance import api as compliance_api
from config.auth_api import TokenLoginView, TokenLogoutView
from csat import api as csat_api
from integrations import api as integrations_api
from learning import api as learning_api
from loyalty import api as loyalty_api
from partners import api as partners_api
from renewals import api as renewals_api
from specializations import api as specializations_api
from webhooks import api as webhooks_api

ROUTES = [
    ("territories", partners_api.TerritoryViewSet, "territory"),
    ("partners", partners_api.PartnerViewSet, "partner"),
    ("individuals", partners_api.IndividualViewSet, "individual"),
    ("renewal-applications", renewals_api.RenewalApplicationViewSet, "renewal-application"),
    ("incidents", renewals_api.IncidentViewSet, "incident"),
    ("notices", renewals_api.NoticeViewSet, "notice"),
    ("architectures", specializations_api.ArchitectureViewSet, "architecture"),
    ("specializations", specializations_api.SpecializationViewSet, "specialization"),
    ("partner-specializations", learning_api.PartnerSpecializationViewSet, "partner-specialization"),
    ("knowledge-sessions", learning_api.KnowledgeSessionViewSet, "knowledge-session"),
    ("points-policies", learning_api.PointsPolicyViewSet, "points-policy"),
    ("learning-records", learning_api.LearningRecordViewSet, "learning-record"),
    ("certifications", compliance_api.CertificationViewSet, "certification"),
    ("verdicts", compliance_api.VerdictViewSet, "verdict"),
    ("portfolio", compliance_api.PortfolioViewSet, "portfolio"),
    ("hybrid-it-services", compliance_api.HybridITServiceViewSet, "hybrid-it-service"),
    ("support-agreements", compliance_api.SupportAgreementViewSet, "support-agreement"),
    ("support-capabilities", compliance_api.SupportCapabilityViewSet, "support-capability"),
    ("evidence-files", compliance_api.EvidenceFileViewSet, "evidence-file"),
    ("csat-responses", csat_api.SurveyResponseViewSet, "csat-response"),
    ("csat-follow-ups", csat_api.FollowUpViewSet, "csat-follow-up"),
    ("csat-measurement-dates", csat_api.MeasurementDateViewSet, "csat-measurement-date"),
    ("ce-activities", ce_api.CeActivityViewSet, "ce-activity"),
    ("ce-renewal-paths", ce_api.CeRenewalPathViewSet, "ce-renewal-path"),
    ("ce-certifications", ce_api.CertificationViewSet, "ce-certification"),
    ("ce-exams", ce_api.ExamViewSet, "ce-exam"),
    ("ce-claims", ce_api.CeClaimViewSet, "ce-claim"),
    ("ce-roles-at-risk", ce_api.RolesAtRiskViewSet, "ce-role-at-risk"),
    ("loyalty-accounts", loyalty_api.LoyaltyAccountViewSet, "loyalty-account"),
    ("loyalty-redemptions", loyalty_api.RedemptionViewSet, "loyalty-redemption"),
    ("integrations", integrations_api.IntegrationViewSet, "integration"),
    ("webhooks", webhooks_api.EndpointViewSet, "webhook"),
    ("webhook-deliveries", webhooks_api.DeliveryViewSet, "webhook-delivery"),
]

router = DefaultRouter()
for prefix, viewset, basename in ROUTES:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="token-login"),
    path("auth/logout/", TokenLogoutView.as_view(), name="token-logout"),
    path("events/", integrations_api.EventFeedView.as_view(), name="event-feed"),
    path("renewals/due/", renewals_api.RenewalsDueView.as_view(), name="renewals-due"),
    path("renewals/<slug:kind>/<int:pk>/", renewals_api.CredentialRenewalView.as_view(), name="credential-renewal"),
    path("", include(router.urls)),
]
