"""The compliance verdict of a certification, end to end: facts in the database, the selector, the rules."""

from datetime import date

import pytest

from compliance.selectors import credential_verdicts, key_of
from csat.models import FollowUp
from specializations.models import PartnerSpecialization, Specialization
from tests.compliance.factories import HybridITServiceFactory, certify, support_complete
from tests.csat.factories import SurveyResponseFactory, responses
from tests.factories import PartnerFactory, TerritoryFactory

MD = date(2026, 1, 31)  # a default measurement date (FY2026)


@pytest.fixture
def germany(db):
    return TerritoryFactory(code="DE", name="Germany")


@pytest.fixture
def france(db):
    return TerritoryFactory(code="FR", name="France")


@pytest.fixture
def partner(germany, france):
    p = PartnerFactory(legal_name="Acme Networks")
    p.territories.add(germany, france)
    return p


def verdict(cert, as_of):
    return credential_verdicts(credentials=[cert], as_of=as_of)[key_of(cert)]


def csat(cert, as_of):
    return next(r for r in verdict(cert, as_of).requirements if r.key == "csat")


def hold(partner, territory, name, kind="express", status="approved"):
    spec, _ = Specialization.objects.get_or_create(name=name, defaults={"kind": kind})
    return PartnerSpecialization.objects.create(
        partner=partner,
        territory=territory,
        specialization=spec,
        status=status,
        certified_on=date(2014, 1, 1),
        anniversary=date(2026, 5, 1),
    )


# --- New certification: first measurement after a full 12 months -----------------------------------------


def test_new_certification_full_12_months_on_the_measurement_date_is_measured(partner, germany):
    cert = certify(partner, germany, on=date(2025, 1, 31))
    result = csat(cert, MD)
    assert not result.met
    assert result.evidence[0].startswith("0 valid rated responses received 2025-02-01 to 2026-01-31, 10 required")


def test_new_certification_one_day_short_of_12_months_waits_for_the_next_measurement(partner, germany):
    cert = certify(partner, germany, on=date(2025, 2, 1))
    result = csat(cert, MD)
    assert result.met
    assert result.evidence[0] == "New certification since 2025-02-01: CSAT is first measured on 2026-07-31"


def test_new_certification_before_its_first_measurement_is_told_what_to_collect(partner, germany):
    cert = certify(partner, germany, on=date(2025, 1, 31))
    responses(partner, germany, 7, date(2025, 12, 1))
    result = csat(cert, date(2026, 1, 30))
    assert result.met
    assert result.next_step == "3 more CSAT responses by 2026-01-31"
    assert result.due == MD


def test_new_certification_after_its_first_measurement_with_10_responses(partner, germany):
    cert = certify(partner, germany, on=date(2025, 1, 31))
    responses(partner, germany, 10, date(2025, 11, 1))
    result = csat(cert, date(2026, 2, 1))
    assert result.met
    assert (
        "10 required at the 2026-01-31 measurement (first measurement after a full 12 months of certification "
        "(since 2025-01-31))" in result.evidence[0]
    )


# --- Recertification: 10 valid rated responses in the 12 months before each date ----------------------------


@pytest.mark.parametrize("count, met", [(10, True), (9, False)])
def test_exactly_10_responses_meet_and_9_do_not(partner, germany, count, met):
    cert = certify(partner, germany, on=date(2020, 1, 1))
    responses(partner, germany, count, date(2025, 9, 15))
    result = csat(cert, MD)
    assert result.met is met
    assert result.count == count and result.required == 10


def test_response_on_the_measurement_date_counts_and_one_12_months_before_does_not(partner, germany):
    cert = certify(partner, germany, on=date(2020, 1, 1))
    responses(partner, germany, 9, date(2025, 6, 1))
    SurveyResponseFactory(partner=partner, territory=germany, received_on=date(2025, 1, 31))  # 12 months before
    assert not csat(cert, MD).met
    SurveyResponseFactory(partner=partner, territory=germany, received_on=MD)  # on the date
    assert csat(cert, MD).met


def test_unrated_and_invalid_responses_do_not_count(partner, germany):
    cert = certify(partner, germany, on=date(2020, 1, 1))
    responses(partner, germany, 9, date(2025, 6, 1))
    SurveyResponseFactory(partner=partner, territory=germany, received_on=date(2025, 6, 1), score=None)
    SurveyResponseFactory(partner=partner, territory=germany, received_on=date(2025, 6, 1), valid=False)
    result = csat(cert, MD)
    assert not result.met and result.evidence[0].startswith("9 valid rated responses received 2025-02-01 to 2026-01-31")


def test_responses_in_another_country_do_not_count(partner, germany, france):
    cert = certify(partner, germany, on=date(2020, 1, 1))
    responses(partner, france, 12, date(2025, 6, 1))
    assert not csat(cert, MD).met


@pytest.mark.parametrize("followed_on, met", [(date(2026, 1, 30), True), (date(2026, 2, 1), False)])
def test_low_score_needs_a_follow_up_recorded_before_the_measurement_date(partner, germany, followed_on, met):
    cert = certify(partner, germany, on=date(2020, 1, 1))
    responses(partner, germany, 10, date(2025, 6, 1))
    low = SurveyResponseFactory(
        partner=partner, territory=germany, received_on=date(2025, 12, 10), score=6, customer="Contoso"
    )
    FollowUp.objects.create(response=low, recorded_on=followed_on, note="Called the customer")
    result = csat(cert, date(2026, 2, 5))
    assert result.met is met
    if not met:
        assert result.evidence[-1] == (
            "Not met: 1 low-score response had no follow-up recorded before 2026-01-31 "
            "(Contoso (score 6, received 2025-12-10))"
        )
    assert "1 low-score response, " + ("1" if met else "0") + " followed up before 2026-01-31" in result.evidence


def test_score_of_7_is_not_low(partner, germany):
    cert = certify(partner, germany, on=date(2020, 1, 1))
    responses(partner, germany, 10, date(2025, 6, 1), score=7)
    assert csat(cert, MD).met


# --- Premier moving to Gold; "new" after six months --------------------------------------------------------


def _gold(partner, territory, since):
    cert = certify(
        partner,
        territory,
        name="Gold",
        on=date(2020, 1, 1),
        history=[(None, "Premier", date(2020, 1, 1)), ("Premier", "Gold", since)],
    )
    cert.tier_since = since
    cert.save()
    return cert


def test_gold_for_six_full_months_needs_30_responses(partner, germany):
    cert = _gold(partner, germany, date(2025, 7, 31))
    responses(partner, germany, 12, date(2025, 9, 1))
    result = csat(cert, MD)
    assert not result.met and result.required == 30
    assert "moved from Premier on 2025-07-31" in result.evidence[0]


def test_gold_for_five_months_is_measured_as_a_recertification(partner, germany):
    cert = _gold(partner, germany, date(2025, 8, 31))
    responses(partner, germany, 12, date(2025, 9, 1))
    result = csat(cert, MD)
    assert result.met and "10 required at the 2026-01-31 measurement" in result.evidence[0]
    assert result.next_step == "18 more CSAT responses by 2026-07-31"  # first measurement after six full months
    assert result.required == 30


def test_partner_premier_seven_months_ago_is_new_again(partner, germany):
    cert = certify(
        partner,
        germany,
        on=date(2025, 10, 1),
        history=[
            (None, "Premier", date(2019, 1, 1)),
            ("Premier", None, date(2025, 3, 1)),
            (None, "Premier", date(2025, 10, 1)),
        ],
    )
    result = csat(cert, MD)
    assert result.met
    assert result.evidence[0] == "New certification since 2025-10-01: CSAT is first measured on 2027-01-31"


def test_partner_premier_five_months_ago_is_not_new(partner, germany):
    cert = certify(
        partner,
        germany,
        on=date(2025, 10, 1),
        history=[
            (None, "Premier", date(2019, 1, 1)),
            ("Premier", None, date(2025, 5, 1)),
            (None, "Premier", date(2025, 10, 1)),
        ],
    )
    result = csat(cert, MD)
    assert not result.met and result.required == 10


# --- Requirement sets 2014 and 2015 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "certified_on, set_name",
    [(date(2015, 3, 31), "Premier requirements 2014"), (date(2015, 4, 1), "Premier requirements 2015")],
)
def test_new_partner_meets_the_2014_set_until_2015_03_31(partner, germany, certified_on, set_name):
    cert = certify(partner, germany, on=certified_on)
    v = verdict(cert, certified_on)
    assert v.requirement_set == set_name
    assert ("hybrid_it" in [r.key for r in v.requirements]) is (set_name.endswith("2015"))


@pytest.mark.parametrize(
    "renewed_on, set_name",
    [(date(2015, 7, 31), "Premier requirements 2014"), (date(2015, 8, 1), "Premier requirements 2015")],
)
def test_existing_partner_meets_the_2015_set_when_renewing_from_2015_08_01(partner, germany, renewed_on, set_name):
    cert = certify(partner, germany, on=date(2013, 1, 1), anniversary=renewed_on)
    assert verdict(cert, renewed_on - date.resolution * 30).requirement_set == "Premier requirements 2014"
    assert verdict(cert, renewed_on).requirement_set == set_name
    for_renewal = credential_verdicts(credentials=[cert], as_of=date(2015, 6, 1), for_renewal=True)[key_of(cert)]
    assert for_renewal.requirement_set == set_name


def test_2014_set_asks_for_the_24_hour_call_back_and_2015_does_not(partner, germany):
    old = certify(partner, germany, on=date(2014, 6, 1))
    support_complete(partner, germany, codes=("customer_service_8x5", "pre_sales", "post_sales"))
    result = next(r for r in verdict(old, date(2014, 7, 1)).requirements if r.key == "support")
    assert not result.met
    assert result.missing == "24-hour call back on record in Germany."
    old.certified_on = date(2015, 4, 1)
    old.anniversary = date(2016, 4, 1)
    old.save()
    result = next(r for r in verdict(old, date(2015, 5, 1)).requirements if r.key == "support")
    assert result.met


# --- Specialization options ---------------------------------------------------------------------------------


def test_specialization_held_in_another_country_does_not_count(partner, germany, france):
    cert = certify(partner, germany, on=date(2020, 1, 1))
    hold(partner, france, "Security Architecture", kind="architecture")
    result = verdict(cert, MD).requirements[0]
    assert result.key == "specialization" and not result.met
    assert result.missing == (
        "One of Express Foundation, Express Collaboration, one Advanced Architecture specialization or one Advanced "
        "Technology specialization in Germany. Security Architecture is held in France, which does not count for "
        "Germany."
    )
    hold(partner, germany, "Express Foundation")
    result = verdict(cert, MD).requirements[0]
    assert result.met and result.evidence == ["Express Foundation held in Germany (Approved, renews 2026-05-01)"]


def test_technology_specialization_counts_only_in_the_2015_set(partner, germany):
    hold(partner, germany, "Advanced Data Center Storage Networking", kind="technology")
    new = certify(partner, germany, on=date(2015, 4, 1))
    assert verdict(new, date(2015, 5, 1)).requirements[0].met
    new.certified_on, new.anniversary = date(2015, 3, 31), date(2016, 3, 31)
    new.save()
    assert not verdict(new, date(2015, 5, 1)).requirements[0].met


def test_lapsed_specialization_does_not_count(partner, germany):
    cert = certify(partner, germany, on=date(2020, 1, 1))
    hold(partner, germany, "Express Foundation", status="lapsed")
    assert not verdict(cert, MD).requirements[0].met


# --- Hybrid IT -----------------------------------------------------------------------------------------------


def test_hybrid_it_service_needs_all_four_documents_and_verification(partner, germany):
    cert = certify(partner, germany, on=date(2020, 1, 1))
    service = HybridITServiceFactory(
        partner=partner, territory=germany, name="Managed WAN", customer_sla="", lifecycle_process="", verified_on=None
    )
    result = next(r for r in verdict(cert, MD).requirements if r.key == "hybrid_it")
    assert not result.met
    assert result.missing.endswith(
        ": “Managed WAN” lacks an end-customer SLA and a Hybrid IT resale lifecycle-management process."
    )
    service.customer_sla, service.lifecycle_process = "SLA-7", "LCM-7"
    service.save()
    result = next(r for r in verdict(cert, MD).requirements if r.key == "hybrid_it")
    assert result.missing.endswith(": “Managed WAN” awaits verification by program staff.")
    service.verified_on = date(2025, 12, 1)
    service.save()
    result = next(r for r in verdict(cert, MD).requirements if r.key == "hybrid_it")
    assert result.met and result.evidence == [
        "Powered Managed Service “Managed WAN”: contract, SLA, description and lifecycle process on record, "
        "verified 2025-12-01"
    ]


def test_expired_support_agreement_is_named(partner, germany):
    from tests.compliance.factories import SupportAgreementFactory

    cert = certify(partner, germany, on=date(2020, 1, 1))
    SupportAgreementFactory(partner=partner, territory=germany, reference="ICPA-77", ends_on=date(2025, 12, 31))
    result = next(r for r in verdict(cert, MD).requirements if r.key == "support")
    assert result.missing.startswith(
        "A valid resale or indirect channel agreement (the last one, ICPA-77, ended on "
        "2025-12-31) and 8×5 customer service, "
    )


# --- The whole verdict reads as a person writes it -------------------------------------------------------------


def test_fully_compliant_premier_and_the_reasons_of_a_shortfall(partner, germany):
    cert = certify(partner, germany, on=date(2020, 1, 1), anniversary=date(2026, 6, 1))
    hold(partner, germany, "Express Foundation")
    HybridITServiceFactory(partner=partner, territory=germany)
    support_complete(partner, germany, codes=("customer_service_8x5", "pre_sales", "post_sales"))
    responses(partner, germany, 10, date(2024, 12, 1))
    responses(partner, germany, 7, date(2025, 12, 1))
    v = verdict(cert, date(2026, 1, 10))
    assert v.requirement_set == "Premier requirements 2015"
    assert v.compliant and v.unmet == []
    csat_result = v.requirements[-1]
    assert csat_result.next_step == "3 more CSAT responses by 2026-01-31"
    assert v.at_risk(horizon_days=90)
    late = verdict(cert, date(2026, 2, 1))
    assert not late.compliant
    assert [r.key for r in late.unmet] == ["csat"]
    assert late.unmet[0].evidence[-1] == "Not met: the 2026-01-31 measurement counted 7 of 10"
    assert late.unmet[0].missing == "3 more CSAT responses by 2026-07-31"
    assert late.unmet[0].policy.startswith("CSAT policy from 2014-11-15: 10 valid responses at each measurement")
    assert "csat." not in late.unmet[0].policy  # words, not the policy rows' keys
