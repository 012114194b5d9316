"""Admin edits of tenant facts go through the services (an event, a recompute), or the admin page is read-only."""

from datetime import date

import pytest
from django.contrib import admin
from django.urls import reverse

from compliance.models import (
    CertificationChange,
    CredentialVerdict,
    HybridITService,
    PartnerCertification,
    SupportAgreement,
    VerdictChange,
)
from core.models import Event, PendingRecompute
from csat.models import SurveyResponse
from learning.models import LearningRecord
from partners.models import Association
from renewals.models import NonComplianceIncident, RenewalApplication
from specializations.models import PartnerSpecialization, RoleAllocation
from tests.compliance.factories import HybridITServiceFactory
from tests.csat.factories import SurveyResponseFactory
from tests.factories import IndividualFactory, TerritoryFactory, make_user
from tests.specializations.factories import SpecializationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(make_user("staff", username="admin-root", is_superuser=True))
    return client


@pytest.fixture
def territory(partner_a):
    territory = TerritoryFactory(code="DE", name="Germany")
    partner_a.territories.add(territory)
    return territory


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_adding_a_hybrid_it_service_writes_an_event_and_queues_a_recompute(staff_client, partner_a, territory):
    response = staff_client.post(
        _url(HybridITService, "add"),
        {"partner": partner_a.pk, "territory": territory.pk, "name": "Managed WAN", "kind": HybridITService.CLOUD},
    )
    assert response.status_code == 302
    service = HybridITService.objects.get(name="Managed WAN")
    assert Event.objects.get(kind="hybrid_it_service.saved").partner == partner_a
    assert PendingRecompute.objects.filter(partner=partner_a).exists()
    assert service.verified_on is None


def test_changing_a_record_clears_its_verification_and_verifying_is_an_action(staff_client, partner_a, territory):
    service = HybridITServiceFactory(partner=partner_a, territory=territory)
    response = staff_client.post(
        _url(HybridITService, "change", service.pk),
        {"territory": territory.pk, "name": "Renamed", "kind": service.kind},
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.name, service.verified_on) == ("Renamed", None)
    assert Event.objects.filter(kind="hybrid_it_service.saved", dedupe_key__isnull=True).count() == 1
    staff_client.post(_url(HybridITService, "changelist"), {"action": "verify", "_selected_action": [service.pk]})
    service.refresh_from_db()
    assert service.verified_on is not None
    assert Event.objects.filter(kind="hybrid_it_service.verified").count() == 1


def test_deleting_a_record_writes_an_event(staff_client, partner_a, territory):
    service = HybridITServiceFactory(partner=partner_a, territory=territory)
    response = staff_client.post(_url(HybridITService, "delete", service.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not HybridITService.objects.exists()
    assert Event.objects.filter(kind="hybrid_it_service.deleted", partner=partner_a).count() == 1
    assert PendingRecompute.objects.filter(partner=partner_a).exists()


def test_a_record_outside_the_partners_territories_is_refused_on_the_form(staff_client, partner_a):
    elsewhere = TerritoryFactory(code="FR", name="France")
    response = staff_client.post(
        _url(SupportAgreement, "add"),
        {
            "partner": partner_a.pk,
            "territory": elsewhere.pk,
            "kind": SupportAgreement.ICPA,
            "reference": "A-1",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )
    assert response.status_code == 200 and "does not operate in" in response.content.decode()
    assert not SupportAgreement.objects.exists() and not Event.objects.exists()


def test_granting_a_specialization_in_the_admin_goes_through_the_service(staff_client, partner_a, territory):
    specialization = SpecializationFactory()
    response = staff_client.post(
        _url(PartnerSpecialization, "add"),
        {
            "partner": partner_a.pk,
            "specialization": specialization.pk,
            "territory": territory.pk,
            "certified_on": "2026-01-15",
            "anniversary": "2027-01-15",
        },
    )
    assert response.status_code == 302
    assert PartnerSpecialization.objects.get().certified_on == date(2026, 1, 15)
    assert Event.objects.filter(kind="specialization.granted", partner=partner_a).count() == 1
    assert PendingRecompute.objects.filter(partner=partner_a).exists()


def test_csat_validity_is_an_admin_action_through_the_service(staff_client, partner_a, territory):
    response = SurveyResponseFactory(partner=partner_a, territory=territory)
    staff_client.post(_url(SurveyResponse, "changelist"), {"action": "mark_invalid", "_selected_action": [response.pk]})
    response.refresh_from_db()
    assert not response.valid
    assert Event.objects.filter(kind="csat.validity_changed", partner=partner_a).count() == 1
    assert PendingRecompute.objects.filter(partner=partner_a).exists()


READ_ONLY = [
    PartnerCertification,
    CertificationChange,
    CredentialVerdict,
    VerdictChange,
    LearningRecord,
    Association,
    RenewalApplication,
    NonComplianceIncident,
]
NO_CHANGE = READ_ONLY + [PartnerSpecialization, RoleAllocation, SurveyResponse]


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m.__name__)
def test_read_only_admins_refuse_adding(staff_client, model):
    assert staff_client.get(_url(model, "changelist")).status_code == 200
    assert staff_client.get(_url(model, "add")).status_code == 403


@pytest.mark.parametrize("model", NO_CHANGE, ids=lambda m: m.__name__)
def test_admins_refuse_changes_that_bypass_the_services(rf, model):
    request = rf.get("/")
    request.user = make_user("staff", username="admin-root-2", is_superuser=True)
    model_admin = admin.site._registry[model]
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request) or model is RoleAllocation


def test_a_change_posted_to_a_read_only_admin_is_refused(staff_client, partner_a, territory):
    association = Association.objects.create(partner=partner_a, individual=IndividualFactory(), start=date(2020, 1, 1))
    response = staff_client.post(_url(Association, "change", association.pk), {"start": "2021-01-01"})
    assert response.status_code == 403
    association.refresh_from_db()
    assert association.start == date(2020, 1, 1)
