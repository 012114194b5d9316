"""/api/v1/: every app registers its viewsets on this one router."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from config.auth_api import TokenLoginView, TokenLogoutView
from partners.api import IndividualViewSet, PartnerViewSet, TerritoryViewSet
from renewals.api import (
    CredentialRenewalView, IncidentViewSet, NoticeViewSet, RenewalApplicationViewSet, RenewalsDueView,
)

router = DefaultRouter()
router.register("territories", TerritoryViewSet, basename="territory")
router.register("partners", PartnerViewSet, basename="partner")
router.register("individuals", IndividualViewSet, basename="individual")
router.register("renewal-applications", RenewalApplicationViewSet, basename="renewal-application")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("notices", NoticeViewSet, basename="notice")

urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="token-login"),
    path("auth/logout/", TokenLogoutView.as_view(), name="token-logout"),
    path("renewals/due/", RenewalsDueView.as_view(), name="renewals-due"),
    path("renewals/<slug:kind>/<int:pk>/", CredentialRenewalView.as_view(), name="credential-renewal"),
    path("", include(router.urls)),
]
