"""The partner's specializations page and one specialization's page (ledger, chart, forecast, plan)."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from core.models import Notice
from specializations.models import RoleAllocation
from tests.learning.factories import KnowledgeSessionFactory, LearningRecordFactory
from tests.page_refs import all_local
from tests.specializations.factories import (
    ArchitectureFactory,
    PartnerSpecializationFactory,
    SpecializationFactory,
    SpecializationRoleFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2017-03-01 12:00 -08:00", tick=False):
        yield


@pytest.fixture
def held(partner_a, individual_a):
    security = ArchitectureFactory(name="Security")
    spec = SpecializationFactory(name="Advanced Security Architecture", architecture=security)
    ps = PartnerSpecializationFactory(partner=partner_a, specialization=spec, anniversary=date(2017, 6, 30))
    session = KnowledgeSessionFactory(points=10, title="Threat hunting", connects=[security])
    LearningRecordFactory(partner=partner_a, individual=individual_a, session=session, occurred_on=date(2017, 1, 5))
    KnowledgeSessionFactory(points=20, duration_hours=20, title="Zero trust workshop", connects=[spec])
    return ps


def test_partner_page_shows_progress_and_days_to_anniversary(
    client, admin_a, partner_a, held, django_assert_max_num_queries
):
    client.force_login(admin_a)
    for _n in range(5):
        PartnerSpecializationFactory(partner=partner_a)
    url = reverse("partner-specializations", args=[partner_a.pk])
    with django_assert_max_num_queries(16):
        page = client.get(url)
    html = page.content.decode()
    assert "10/100" in html and "in 121 days" in html and 'role="progressbar"' in html


def test_specialization_page_has_ledger_chart_forecast_and_plan(client, admin_a, held):
    client.force_login(admin_a)
    html = client.get(reverse("partner-specialization-detail", args=[held.pk])).content.decode()
    assert "Points 10/100" in html and "Threat hunting" in html and "Counts 10 points." in html
    assert "vendor/chart.umd.min.js" in html and "points-data" in html and all_local(html)
    assert "90 points to go in 121 days" in html and "Zero trust workshop" in html


def test_as_of_shows_an_earlier_day(client, admin_a, held):
    client.force_login(admin_a)
    html = client.get(
        reverse("partner-specialization-detail", args=[held.pk]), {"as_of": "2017-01-04"}
    ).content.decode()
    assert "Points 0/100" in html


def test_role_allocation(client, admin_a, held, individual_a):
    role = SpecializationRoleFactory(specialization=held.specialization, name="Sales Engineer")
    client.force_login(admin_a)
    client.post(reverse("role-allocate", args=[held.pk]), {"role": role.pk, "individual": individual_a.pk})
    allocation = RoleAllocation.objects.get()
    assert "Sales Engineer" in client.get(reverse("partner-specialization-detail", args=[held.pk])).content.decode()
    client.post(reverse("role-release", args=[allocation.pk]))
    assert not RoleAllocation.objects.exists()


def test_another_partners_specialization_is_a_404(client, admin_b, held, partner_a):
    client.force_login(admin_b)
    assert client.get(reverse("partner-specialization-detail", args=[held.pk])).status_code == 404
    assert client.get(reverse("partner-specializations", args=[partner_a.pk])).status_code == 404


def test_catalogue_page(client, member_a, held):
    client.force_login(member_a)
    html = client.get(reverse("catalogue")).content.decode()
    assert "Advanced Security Architecture" in html and "Threat hunting" in html and "Policy &amp; Access" in html


def test_assigning_a_plan_line_emails_the_individual_once(client, admin_a, held, individual_a):
    client.force_login(admin_a)
    url = reverse("partner-specialization-detail", args=[held.pk])
    assert "Assign (email)" in client.get(url).content.decode()
    zero_trust = held.specialization.knowledge_sessions.get()
    for _ in range(2):
        client.post(reverse("plan-assign", args=[held.pk]), {"session": zero_trust.pk, "individual": individual_a.pk})
    notice = Notice.objects.get()
    assert notice.recipient == individual_a.email and "Zero trust workshop" in notice.subject
    assert notice.subject.endswith("before 2017-06-30")
    assert "Asked" in client.get(url).content.decode()
