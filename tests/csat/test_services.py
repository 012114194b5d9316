from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from csat import services
from csat.models import FollowUp, MeasurementDate, SurveyResponse
from partners.access import SYSTEM
from tests.csat.factories import SurveyResponseFactory
from tests.factories import PartnerFactory, TerritoryFactory

HEADER = "partner,country,customer,received_on,score,valid,reference\n"


@pytest.fixture
def acme(db):
    partner = PartnerFactory(vendor_partner_id="ACME")
    partner.territories.add(TerritoryFactory(code="DE", name="Germany"))
    TerritoryFactory(code="FR", name="France")
    return partner


@time_machine.travel("2026-02-10 12:00Z")
def test_import_dry_run_checks_every_row_and_saves_nothing(acme):
    text = HEADER + "ACME,DE,Contoso,2026-01-05,9,yes,R1\nACME,DE,Fabrikam,2026-01-06,,,R2\n"
    result = services.responses_import(file=text, dry_run=True, actor=SYSTEM)
    assert result.ok and result.rows == 2 and result.created == 0
    assert SurveyResponse.objects.count() == 0
    result = services.responses_import(file=text.encode(), dry_run=False, actor=SYSTEM)
    assert result.created == 2
    unrated = SurveyResponse.objects.get(reference="R2")
    assert unrated.score is None and unrated.valid


@time_machine.travel("2026-02-10 12:00Z")
def test_import_reports_each_bad_row_and_nothing_is_half_saved(acme):
    text = (
        HEADER + "ACME,DE,Contoso,2026-01-05,9,yes,R1\n"
        "NOPE,DE,Initech,2026-01-05,9,yes,R2\n"
        "ACME,FR,Globex,31/01/2026,11,maybe,R3\n"
        "ACME,DE,Late,2026-03-01,5,,R1\n"
    )
    result = services.responses_import(file=text, dry_run=False, actor=SYSTEM)
    assert not result.ok and result.created == 0
    assert SurveyResponse.objects.count() == 0
    by_line = {e["line"]: e["errors"] for e in result.errors}
    assert set(by_line) == {3, 4, 5}
    assert by_line[3] == {"partner": "Unknown partner id “NOPE”."}
    assert set(by_line[4]) == {"country", "received_on", "score", "valid"}
    assert by_line[4]["country"].endswith("does not operate in France.")
    assert by_line[5]["reference"] == "This reference appears twice in the file."


def test_import_without_required_columns(acme):
    result = services.responses_import(file="partner,customer\nACME,X\n", dry_run=True, actor=SYSTEM)
    assert result.errors == [{"line": 1, "errors": {"file": "Missing column(s): country, received_on."}}]


@time_machine.travel("2026-02-10 12:00Z")
def test_follow_up_only_for_low_scores_once_and_not_in_the_future(acme):
    germany = acme.territories.get()
    high = SurveyResponseFactory(partner=acme, territory=germany, score=7, received_on=date(2026, 1, 5))
    low = SurveyResponseFactory(partner=acme, territory=germany, score=6, received_on=date(2026, 1, 5))
    with pytest.raises(ValidationError, match="Only a low-score response"):
        services.followup_record(response=high, note="x", actor=SYSTEM)
    with pytest.raises(ValidationError, match="future"):
        services.followup_record(response=low, note="x", recorded_on=date(2026, 2, 11), actor=SYSTEM)
    with pytest.raises(ValidationError, match="before the response"):
        services.followup_record(response=low, note="x", recorded_on=date(2026, 1, 4), actor=SYSTEM)
    services.followup_record(response=low, note="Called the customer", actor=SYSTEM)
    assert FollowUp.objects.get().recorded_on == date(2026, 2, 10)
    with pytest.raises(ValidationError, match="already has a follow-up"):
        services.followup_record(response=low, note="again", actor=SYSTEM)


def test_default_measurement_dates_and_editing_within_the_fiscal_year(db):
    fy26 = list(MeasurementDate.objects.filter(fiscal_year=2026).values_list("date", flat=True))
    assert fy26 == [date(2026, 1, 31), date(2026, 7, 31)]
    january = MeasurementDate.objects.get(date=date(2026, 1, 31))
    services.measurement_date_update(measurement_date=january, on=date(2026, 1, 28), actor=SYSTEM)
    assert MeasurementDate.objects.filter(date=date(2026, 1, 28)).exists()
    with pytest.raises(ValidationError, match="FY2026 measurement date falls between 2025-08-01 and 2026-07-31"):
        services.measurement_date_update(measurement_date=january, on=date(2026, 8, 1), actor=SYSTEM)


@time_machine.travel("2026-02-10 12:00Z")
def test_import_takes_the_same_queries_for_3_or_60_rows(acme, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def csv_of(n, start):
        return HEADER + "".join(f"ACME,DE,Customer {i},2026-01-05,{1 + i % 10},yes,Q{start + i}\n" for i in range(n))

    with CaptureQueriesContext(connection) as small:
        services.responses_import(file=csv_of(3, 0), dry_run=False, actor=SYSTEM)
    with django_assert_max_num_queries(len(small)):
        result = services.responses_import(file=csv_of(60, 100), dry_run=False, actor=SYSTEM)
    assert result.created == 60 and SurveyResponse.objects.count() == 63
