"""The stored verdicts: set-based recompute, the history of status changes, "was it compliant on ...?"."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.models import CredentialVerdict, VerdictChange
from compliance.selectors import compliant_on, credential_verdicts
from compliance.services.recompute import verdicts_recompute
from core.models import Event
from tests.compliance.factories import certify
from tests.csat.factories import responses
from tests.factories import PartnerFactory, TerritoryFactory


def _csat_only(n_partners, territory):
    certs = []
    for i in range(n_partners):
        partner = PartnerFactory()
        certs.append(certify(partner, territory, name="Silver", on=date(2020, 1, 1), anniversary=date(2026, 6, 1)))
        responses(partner, territory, 10 if i % 2 else 3, date(2025, 9, 1))
    return certs


@pytest.mark.django_db
def test_recompute_stores_verdicts_and_keeps_each_change_of_status():
    territory = TerritoryFactory(name="Germany")
    partner = PartnerFactory()
    cert = certify(partner, territory, name="Silver", on=date(2020, 1, 1), anniversary=date(2026, 6, 1))
    responses(partner, territory, 10, date(2025, 1, 15))  # counted at 2025-07-31, gone by 2026-01-31
    assert verdicts_recompute(partner_ids=[partner.pk], as_of=date(2025, 7, 31)) == 1
    assert verdicts_recompute(partner_ids=[partner.pk], as_of=date(2025, 12, 1)) == 1  # no change
    verdicts_recompute(partner_ids=None, as_of=date(2026, 1, 31))
    stored = CredentialVerdict.objects.get()
    assert (stored.name, stored.compliant, stored.at_risk, stored.csat_required) == ("Silver", False, True, 10)
    assert stored.requirements[0]["missing"] == "10 more CSAT responses by 2026-07-31"
    changes = list(VerdictChange.objects.order_by("as_of").values_list("as_of", "compliant"))
    assert changes == [(date(2025, 7, 31), True), (date(2026, 1, 31), False)]
    assert compliant_on(credential=cert, on=date(2025, 12, 31)) is True
    assert compliant_on(credential=cert, on=date(2026, 2, 1)) is False
    assert compliant_on(credential=cert, on=date(2025, 7, 30)) is None
    kinds = list(
        Event.objects.filter(partner=partner, kind="compliance.verdict_changed").values_list("summary", flat=True)
    )
    assert kinds == [  # newest first
        "Silver · Germany is not compliant on 2026-01-31: Customer satisfaction (10 more CSAT responses by 2026-07-31)",
        "Silver · Germany is compliant on 2025-07-31",
    ]
    verdicts_recompute(partner_ids=[partner.pk], as_of=date(2026, 1, 31))  # idempotent
    assert VerdictChange.objects.count() == 2 and Event.objects.filter(kind="compliance.verdict_changed").count() == 2


@pytest.mark.django_db
def test_recompute_and_verdicts_take_a_constant_number_of_queries():
    territory = TerritoryFactory()
    few = _csat_only(3, territory)
    with CaptureQueriesContext(connection) as small:
        verdicts_recompute(partner_ids=None, as_of=date(2026, 1, 31))
    many = few + _csat_only(40, territory)
    CredentialVerdict.objects.all().delete()
    VerdictChange.objects.all().delete()
    with CaptureQueriesContext(connection) as large:
        verdicts_recompute(partner_ids=None, as_of=date(2026, 1, 31))
    assert len(large) == len(small)
    assert CredentialVerdict.objects.filter(compliant=True).count() == 21
    with CaptureQueriesContext(connection) as reads:
        credential_verdicts(credentials=many, as_of=date(2026, 1, 31))
    assert len(reads) <= 14


@pytest.mark.django_db
def test_specialization_credential_verdict_is_its_points_progress():
    from compliance.selectors import key_of
    from tests.specializations.factories import PartnerSpecializationFactory

    ps = PartnerSpecializationFactory(certified_on=date(2020, 1, 1), anniversary=date(2026, 6, 1))
    cert = certify(ps.partner, ps.territory, name="Silver", on=date(2020, 1, 1))
    verdicts = credential_verdicts(credentials=[ps, cert], as_of=date(2026, 2, 1))
    points = verdicts[key_of(ps)]
    assert points.compliant  # the points fall due on the anniversary
    assert points.requirements[0].next_step == "100 points by 2026-06-01"
    assert points.facts["points"] == "0/100"
    assert key_of(cert) in verdicts
    renewal = credential_verdicts(credentials=[ps], as_of=date(2026, 2, 1), for_renewal=True)[key_of(ps)]
    assert not renewal.compliant and renewal.unmet[0].missing == "100 points by 2026-06-01"
    on_the_day = credential_verdicts(credentials=[ps], as_of=date(2026, 6, 1))[key_of(ps)]
    assert not on_the_day.compliant
    verdicts_recompute(partner_ids=[ps.partner_id], as_of=date(2026, 4, 1))
    row = CredentialVerdict.objects.get(credential_type="specializations.partnerspecialization")
    assert (row.points, row.compliant, row.at_risk) == ("0/100", True, True)
