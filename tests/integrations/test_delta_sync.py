"""Delta sync: `?updated_after=` on the main lists returns the rows changed after the mark, not the others, whatever
path changed them (save, save with update_fields, queryset.update)."""

from datetime import date, timedelta

import pytest

from certifications.models import CeClaim, IndividualCertification
from compliance.models import CredentialVerdict, PartnerCertification
from compliance.services.credentials import credentials_status_set
from core import clock
from core.models import CredentialStatus
from loyalty.models import CustomerAccount
from partners.models import Individual, Partner
from renewals.models import RenewalApplication
from specializations.models import PartnerSpecialization
from tests.certifications.factories import build_partner_data as ce_data
from tests.compliance.factories import build_partner_data as compliance_data
from tests.loyalty.factories import build_partner_data as loyalty_data
from tests.renewals.factories import build_partner_data as renewal_data
from tests.specializations.factories import build_partner_data as specialization_data

pytestmark = pytest.mark.django_db

# (list route, model, the field the filter reads)
ENDPOINTS = [
    ("partners", Partner, "updated_at"),
    ("individuals", Individual, "updated_at"),
    ("partner-specializations", PartnerSpecialization, "updated_at"),
    ("certifications", PartnerCertification, "updated_at"),
    ("portfolio", CredentialVerdict, "computed_at"),
    ("renewal-applications", RenewalApplication, "updated_at"),
    ("ce-certifications", IndividualCertification, "updated_at"),
    ("ce-claims", CeClaim, "updated_at"),
    ("loyalty-accounts", CustomerAccount, "updated_at"),
]


@pytest.fixture
def world(partner_a, partner_b):
    for partner in (partner_a, partner_b):
        for build in (specialization_data, compliance_data, renewal_data, ce_data, loyalty_data):
            build(partner)


def _ids(client, route, **params):
    answer = client.get(f"/api/v1/{route}/", {"page_size": 1000, **params})
    assert answer.status_code == 200, answer.content
    return {row["id"] for row in answer.json()["results"]}


@pytest.mark.parametrize("route, model, field", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_a_row_changed_after_the_mark_appears_an_older_one_does_not(world, api, staff_user, route, model, field):
    rows = list(model.objects.order_by("pk"))
    assert len(rows) >= 2, f"the world has two {model.__name__} rows"
    old = clock.now() - timedelta(days=2)
    model.objects.update(**{field: old})
    mark = clock.now() - timedelta(days=1)
    changed = rows[-1]
    model.objects.filter(pk=changed.pk).update(**{field: clock.now()})
    client = api(staff_user)
    assert _ids(client, route, updated_after=mark.isoformat()) == {changed.pk}
    assert _ids(client, route, updated_after=(old - timedelta(seconds=1)).isoformat()) >= {r.pk for r in rows}


@pytest.mark.parametrize("route", [e[0] for e in ENDPOINTS])
@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01T00:00:00Z", "9999-12-31T23:59:59-14:00"])
def test_a_malformed_mark_is_a_400_naming_it(api, staff_user, route, bad):
    answer = api(staff_user).get(f"/api/v1/{route}/", {"updated_after": bad})
    assert answer.status_code == 400 and "updated_after" in answer.json()


def test_any_offset_python_reads_is_taken_in_utc(api, staff_user, partner_a):
    answer = api(staff_user).get("/api/v1/partners/", {"updated_after": "2017-02-25T08:51:02-17:43"})
    assert answer.status_code == 200 and [p["id"] for p in answer.json()["results"]] == [partner_a.pk]


def test_every_write_path_moves_updated_at(partner_a, world):
    old = clock.now() - timedelta(days=2)
    for model in (Partner, PartnerSpecialization, PartnerCertification, IndividualCertification):
        model.objects.update(updated_at=old)
    partner_a.legal_name = "Renamed"
    partner_a.save(update_fields=["legal_name"])  # auto_now alone would not write updated_at here
    cert = PartnerCertification.objects.filter(partner=partner_a).first()
    credentials_status_set(credentials=[cert], status=CredentialStatus.LAPSED, on=date(2026, 1, 1))  # an UPDATE
    ce = IndividualCertification.objects.first()
    ce.save()
    PartnerSpecialization.objects.filter(partner=partner_a).update(status=CredentialStatus.RECERT)  # a bulk update
    for model, pk in (
        (Partner, partner_a.pk),
        (PartnerCertification, cert.pk),
        (IndividualCertification, ce.pk),
        (PartnerSpecialization, PartnerSpecialization.objects.filter(partner=partner_a).first().pk),
    ):
        assert model.objects.get(pk=pk).updated_at > old + timedelta(days=1), model.__name__
    assert Partner.objects.exclude(pk=partner_a.pk).get().updated_at == old
