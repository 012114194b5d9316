"""One service writes a credential's status, whichever app asks (renewal scan, approval, revocation, end)."""

from datetime import date

import pytest

from compliance.models import CertificationChange, PartnerCertification
from compliance.services.credentials import credentials_status_set
from core.models import CredentialStatus
from specializations.models import PartnerSpecialization
from tests.compliance.factories import certify
from tests.factories import TerritoryFactory
from tests.specializations.factories import PartnerSpecializationFactory

pytestmark = pytest.mark.django_db


def test_a_certification_that_lapses_keeps_its_tier_history(partner_a):
    territory = TerritoryFactory()
    cert = certify(partner_a, territory, name="Premier", on=date(2024, 1, 1))
    credentials_status_set(credentials=[cert], status=CredentialStatus.LAPSED, on=date(2025, 2, 1))
    cert = PartnerCertification.objects.get(pk=cert.pk)
    assert (cert.status, cert.status_changed_on) == (CredentialStatus.LAPSED, date(2025, 2, 1))
    lost = CertificationChange.objects.filter(certification=cert, to_tier=None)
    assert [(c.from_tier.name, c.changed_on) for c in lost] == [("Premier", date(2025, 2, 1))]


def test_recert_keeps_the_holding_and_writes_no_history(partner_a):
    cert = certify(partner_a, TerritoryFactory(), on=date(2024, 1, 1))
    before = CertificationChange.objects.count()
    credentials_status_set(credentials=[cert], status=CredentialStatus.RECERT, on=date(2024, 11, 1))
    assert CertificationChange.objects.count() == before


def test_both_kinds_of_credential_in_one_call(partner_a):
    cert = certify(partner_a, TerritoryFactory(), on=date(2024, 1, 1))
    spec = PartnerSpecializationFactory(partner=partner_a)
    credentials_status_set(credentials=[cert, spec], status=CredentialStatus.REVOKED, on=date(2025, 3, 3))
    assert PartnerCertification.objects.get(pk=cert.pk).status == CredentialStatus.REVOKED
    assert PartnerSpecialization.objects.get(pk=spec.pk).status_changed_on == date(2025, 3, 3)
