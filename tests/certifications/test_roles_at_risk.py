"""Which specialization roles would be left unfilled if an expiring certification lapsed."""

from datetime import date

import pytest
import time_machine
from django.test import Client

from certifications import selectors
from tests.factories import AssociationFactory, IndividualFactory
from tests.specializations.factories import (
    PartnerSpecializationFactory,
    RoleAllocationFactory,
    SpecializationRoleFactory,
)

from .factories import CertificationFactory

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 5, 20)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-20 19:00:00+00:00", tick=False):
        yield


def _person(partner):
    return AssociationFactory(partner=partner, individual=IndividualFactory()).individual


def test_role_filled_by_an_expiring_certification_is_left_unfilled(partner_a):
    holding = PartnerSpecializationFactory(partner=partner_a)
    engineer = SpecializationRoleFactory(
        specialization=holding.specialization, name="Systems Engineer", required_count=2
    )
    seller = SpecializationRoleFactory(specialization=holding.specialization, name="Account Manager", required_count=1)
    soon, safe, late, seller_person = (_person(partner_a) for _ in range(4))
    CertificationFactory(individual=soon, track="CCNP Security", certified_on=date(2023, 8, 18))  # 90 days left
    CertificationFactory(individual=late, track="CCNP Enterprise", certified_on=date(2023, 8, 19))  # 91 days left
    CertificationFactory(individual=seller_person, track="CCNA", level="associate", certified_on=date(2023, 6, 1))
    for person in (soon, safe, late):
        RoleAllocationFactory(partner_specialization=holding, role=engineer, individual=person)
    RoleAllocationFactory(partner_specialization=holding, role=seller, individual=seller_person)

    rows = selectors.roles_at_risk(partner=partner_a, as_of=AS_OF, within_days=90)
    assert [
        (r.allocation.individual, r.allocation.role.name, r.remaining, r.required, r.left_unfilled) for r in rows
    ] == [(seller_person, "Account Manager", 0, 1, True), (soon, "Systems Engineer", 2, 2, False)]
    assert rows[1].days_left == 90
    assert "Account Manager would be left unfilled (0/1) if it lapsed" in rows[0].sentence
    at_risk = selectors.partner_specializations_at_risk(partner=partner_a, as_of=AS_OF)
    assert list(at_risk) == [holding.pk]

    # A wider window catches the third engineer: now the engineer role would be short too.
    wider = selectors.roles_at_risk(partner=partner_a, as_of=AS_OF, within_days=91)
    assert {(r.allocation.individual, r.left_unfilled) for r in wider if r.allocation.role == engineer} == {
        (soon, True),
        (late, True),
    }


def test_roles_at_risk_are_shown_to_the_partner_admin_and_not_across_partners(admin_a, partner_a, partner_b):
    holding = PartnerSpecializationFactory(partner=partner_a)
    mine = RoleAllocationFactory(partner_specialization=holding)
    CertificationFactory(individual=mine.individual, track="CCNP Data Center", certified_on=date(2023, 7, 1))
    other = RoleAllocationFactory(partner_specialization=PartnerSpecializationFactory(partner=partner_b))
    CertificationFactory(individual=other.individual, track="Secret B track", certified_on=date(2023, 7, 1))
    client = Client()
    client.force_login(admin_a)
    page = client.get(f"/learning/ce/partners/{partner_a.pk}/people/").content.decode()
    assert "CCNP Data Center" in page and "Role left unfilled: 0/1" in page and "Secret B" not in page
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(admin_a)
    rows = api.get(f"/api/v1/ce-roles-at-risk/?partner={partner_a.pk}").json()
    assert [(r["role"], r["left_unfilled"], r["days_left"]) for r in rows] == [(mine.role.name, True, 42)]
    assert api.get(f"/api/v1/ce-roles-at-risk/?partner={partner_b.pk}").status_code == 404


def test_a_role_left_unfilled_marks_the_specialization_at_risk_in_compliance(client, admin_a, partner_a, partner_b):
    from compliance.models import CredentialVerdict
    from compliance.services.recompute import verdicts_recompute

    holding = PartnerSpecializationFactory(partner=partner_a, anniversary=date(2027, 3, 1))
    calm = PartnerSpecializationFactory(partner=partner_b, anniversary=date(2027, 3, 1))
    for h in (holding, calm):
        role = SpecializationRoleFactory(specialization=h.specialization, name="Field Engineer", required_count=1)
        person = _person(h.partner)
        CertificationFactory(
            individual=person,
            track="CCNP Security",
            certified_on=date(2023, 7, 1) if h is holding else date(2025, 1, 1),
        )
        RoleAllocationFactory(partner_specialization=h, role=role, individual=person)

    verdicts_recompute(partner_ids=None, as_of=AS_OF)
    stored = {
        v.credential_id: v.at_risk
        for v in CredentialVerdict.objects.filter(credential_type="specializations.partnerspecialization")
    }
    assert stored[holding.pk] is True and stored[calm.pk] is False

    client.force_login(admin_a)
    page = client.get(f"/partners/{partner_a.pk}/compliance/").content.decode()
    assert "Field Engineer would be left unfilled (0/1) if it lapsed" in page
