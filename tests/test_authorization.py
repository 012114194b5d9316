"""Who may call each write service: every role against one table (service -> roles allowed).

Each case calls the service itself (not a page) with an actor of one role, about partner A's data. A
refusal is Django's PermissionDenied; anything else (done, or refused for a business reason with a
ValidationError) means the permission check let the actor through. Removing a check from a service
makes the roles it should refuse pass through, and this table fails.
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from certifications import services as ce
from compliance.models import HybridITService
from compliance.services import certifications as partner_certifications
from compliance.services import records
from core import clock
from csat import services as csat
from csat.models import MeasurementDate
from learning import services as learning
from loyalty.services import accounts as loyalty_accounts
from loyalty.services import redemptions as loyalty_redemptions
from partners import access
from partners import services as partners
from renewals.services import applications, incidents
from specializations import services as specializations
from tests.certifications.factories import CertificationFactory, ClaimFactory, pdf_file
from tests.compliance.factories import (
    HybridITServiceFactory,
    certify,
    ensure_default_program,
    tier,
)
from tests.csat.factories import SurveyResponseFactory
from tests.factories import IndividualFactory, TerritoryFactory, make_user
from tests.learning.factories import KnowledgeSessionFactory, LearningRecordFactory
from tests.loyalty.factories import AccountFactory, make_lot
from tests.renewals.factories import IncidentFactory, RenewalApplicationFactory
from tests.specializations.factories import (
    PartnerSpecializationFactory,
    RoleAllocationFactory,
    SpecializationFactory,
    SpecializationRoleFactory,
)

ROLES = ["staff", "manager", "other_manager", "admin", "other_admin", "member", "customer", "nobody", "system"]

STAFF = {"staff"}
MANAGERS = {"staff", "manager", "admin"}  # whoever may manage partner A
VENDOR_MANAGERS = {"staff", "manager"}  # program staff or partner A's account manager
INDIVIDUAL = MANAGERS | {"member"}  # the member is the individual the action is about
ACCOUNT = {"staff", "manager", "customer"}  # the loyalty account's manager and its Team Captain


@pytest.fixture
def w(partner_a, partner_b, individual_a, member_a, admin_a, admin_b, manager, staff_user):
    """Partner A's world: a country, a person (the member), a specialization held, a loyalty account."""
    ensure_default_program()
    other_manager = make_user("account_manager", username="manager-b")
    partner_b.account_managers.add(other_manager)
    captain = make_user("customer", username="captain-x")
    captain.profile.vendor_login_id = "cco-x"
    captain.profile.save()
    de = TerritoryFactory(code="DE", name="Germany")
    partner_a.territories.add(de)
    ps = PartnerSpecializationFactory(partner=partner_a, territory=de)
    account = AccountFactory(account_manager=manager, captain=captain, terms_accepted_on=None, terms_accepted_by=None)
    actors = {
        "staff": staff_user,
        "manager": manager,
        "other_manager": other_manager,
        "admin": admin_a,
        "other_admin": admin_b,
        "member": member_a,
        "customer": captain,
        "nobody": None,
        "system": access.SYSTEM,
    }
    return type(
        "World",
        (),
        {"partner": partner_a, "de": de, "person": individual_a, "ps": ps, "account": account, "actors": actors},
    )


def _redemption(w):
    make_lot(w.account, 50, clock.today())
    return loyalty_redemptions.redemption_create(
        account=w.account, kind="ilt", amount=5, description="Course", actor=access.SYSTEM
    )[0]


# service -> (roles allowed, call(world, actor)); the objects are partner A's (or its individual's, or its account's).
SERVICES = {
    "partner_create": (
        STAFF,
        lambda w, a: partners.partner_create(legal_name="New Partner", vendor_partner_id="PNEW1", actor=a),
    ),
    "partner_update": (STAFF, lambda w, a: partners.partner_update(partner=w.partner, legal_name="Renamed", actor=a)),
    "individual_create": (
        MANAGERS,
        lambda w, a: partners.individual_create(
            first_name="New",
            last_name="Person",
            email="new@example.com",
            testing_number="TNEW1",
            partner=w.partner,
            actor=a,
        ),
    ),
    "individual_associate": (
        MANAGERS,
        lambda w, a: partners.individual_associate(
            individual=IndividualFactory(), partner=w.partner, start=date(2020, 1, 1), actor=a
        ),
    ),
    "individual_update": (
        MANAGERS,
        lambda w, a: partners.individual_update(individual=w.person, first_name="Ann", actor=a),
    ),
    "partner_specialization_create": (
        STAFF,
        lambda w, a: specializations.partner_specialization_create(
            partner=w.partner,
            specialization=SpecializationFactory(),
            territory=w.de,
            certified_on=date(2015, 1, 1),
            anniversary=date(2016, 1, 1),
            actor=a,
        ),
    ),
    "role_allocate": (
        MANAGERS,
        lambda w, a: specializations.role_allocate(
            partner_specialization=w.ps,
            role=SpecializationRoleFactory(specialization=w.ps.specialization),
            individual=w.person,
            actor=a,
        ),
    ),
    "role_release": (
        MANAGERS,
        lambda w, a: specializations.role_release(
            allocation=RoleAllocationFactory(partner_specialization=w.ps), actor=a
        ),
    ),
    "learning_records_import": (
        MANAGERS,
        lambda w, a: learning.learning_records_import(partner=w.partner, records=[], actor=a),
    ),
    "learning_record_create": (
        MANAGERS,
        lambda w, a: learning.learning_record_create(
            partner=w.partner,
            individual=w.person,
            session=KnowledgeSessionFactory(),
            occurred_on=date(2017, 1, 15),
            how="viewed",
            client_record_id="auth-1",
            actor=a,
        ),
    ),
    "learning_record_reverse": (
        MANAGERS,
        lambda w, a: learning.learning_record_reverse(
            record=LearningRecordFactory(partner=w.partner, individual=w.person), reason="Wrong person", actor=a
        ),
    ),
    "session_assign": (
        MANAGERS,
        lambda w, a: learning.session_assign(
            partner_specialization=w.ps,
            session=KnowledgeSessionFactory(),
            individual=w.person,
            due=w.ps.anniversary,
            actor=a,
        ),
    ),
    "ce_certification_create": (
        MANAGERS,
        lambda w, a: ce.ce_certification_create(
            individual=w.person, track="CCNA", level="associate", certified_on=date(2025, 1, 1), actor=a
        ),
    ),
    "ce_exam_record": (
        MANAGERS,
        lambda w, a: ce.ce_exam_record(individual=w.person, kind="professional", passed_on=date(2025, 1, 1), actor=a),
    ),
    "ce_claim_submit": (
        INDIVIDUAL,
        lambda w, a: ce.ce_claim_submit(
            individual=w.person,
            started_on=date(2025, 1, 1),
            ended_on=date(2025, 1, 2),
            validation_code="AUTH1",
            certificate=pdf_file(),
            course_name="Course",
            credits=5,
            attended_in_full=True,
            actor=a,
        ),
    ),
    "ce_claim_review": (
        STAFF,
        lambda w, a: ce.ce_claim_review(
            claim=ClaimFactory(individual=w.person, status="pending"), decision="earned", actor=a
        ),
    ),
    "ce_certification_renew": (
        INDIVIDUAL,
        lambda w, a: ce.ce_certification_renew(certification=CertificationFactory(individual=w.person), actor=a),
    ),
    "response_create": (
        STAFF,
        lambda w, a: csat.response_create(
            partner=w.partner, territory=w.de, customer="Customer", received_on=date(2025, 1, 1), score=9, actor=a
        ),
    ),
    "response_set_validity": (
        STAFF,
        lambda w, a: csat.response_set_validity(
            response=SurveyResponseFactory(partner=w.partner, territory=w.de), valid=False, actor=a
        ),
    ),
    "followup_record": (
        MANAGERS,
        lambda w, a: csat.followup_record(
            response=SurveyResponseFactory(partner=w.partner, territory=w.de, score=3), note="Called", actor=a
        ),
    ),
    "measurement_date_update": (
        STAFF,
        lambda w, a: csat.measurement_date_update(
            measurement_date=MeasurementDate.objects.get_or_create(fiscal_year=2031, date=date(2031, 1, 31))[0],
            on=date(2031, 1, 30),
            actor=a,
        ),
    ),
    "responses_import": (
        STAFF,
        lambda w, a: csat.responses_import(file="partner,country,customer,received_on\n", dry_run=True, actor=a),
    ),
    "certification_grant": (
        STAFF,
        lambda w, a: partner_certifications.certification_grant(
            partner=w.partner, territory=w.de, tier=tier("Premier"), on=date(2025, 1, 1), actor=a
        ),
    ),
    "certification_end": (
        STAFF,
        lambda w, a: partner_certifications.certification_end(
            certification=certify(w.partner, w.de), on=date(2025, 1, 1), status="lapsed", actor=a
        ),
    ),
    "partner_record_save": (
        MANAGERS,
        lambda w, a: records.partner_record_save(
            model=HybridITService,
            partner=w.partner,
            territory=w.de,
            name="WAN",
            kind=HybridITService.POWERED_MANAGED,
            actor=a,
        ),
    ),
    "partner_record_verify": (
        STAFF,
        lambda w, a: records.partner_record_verify(
            obj=HybridITServiceFactory(partner=w.partner, territory=w.de), actor=a
        ),
    ),
    "partner_record_delete": (
        MANAGERS,
        lambda w, a: records.partner_record_delete(
            obj=HybridITServiceFactory(partner=w.partner, territory=w.de), actor=a
        ),
    ),
    "renewal_submit": (MANAGERS, lambda w, a: applications.renewal_submit(credential=w.ps, actor=a)),
    "renewal_approve": (
        VENDOR_MANAGERS,
        lambda w, a: applications.renewal_approve(application=RenewalApplicationFactory(of=w.ps), actor=a),
    ),
    "renewal_reject": (
        VENDOR_MANAGERS,
        lambda w, a: applications.renewal_reject(application=RenewalApplicationFactory(of=w.ps), note="No", actor=a),
    ),
    "incident_acknowledge": (
        MANAGERS,
        lambda w, a: incidents.incident_acknowledge(incident=IncidentFactory(of=w.ps), actor=a),
    ),
    "incident_extend": (
        VENDOR_MANAGERS,
        lambda w, a: incidents.incident_extend(incident=IncidentFactory(of=w.ps), until=date(2099, 1, 1), actor=a),
    ),
    "revocation_confirm": (
        STAFF,
        lambda w, a: incidents.revocation_confirm(incident=IncidentFactory(of=w.ps), actor=a),
    ),
    "account_create": (
        STAFF,
        lambda w, a: loyalty_accounts.account_create(name="New", customer_number="CNEW1", actor=a),
    ),
    "booking_record": (
        STAFF,
        lambda w, a: loyalty_accounts.booking_record(
            account=w.account, fiscal_year=2026, kind="product", net_amount=1000, actor=a
        ),
    ),
    "redemption_create": (
        ACCOUNT,
        lambda w, a: loyalty_redemptions.redemption_create(
            account=w.account, kind="ilt", amount=1, description="Course", actor=a
        ),
    ),
    "redemption_reverse": (
        ACCOUNT,
        lambda w, a: loyalty_redemptions.redemption_reverse(redemption=_redemption(w), reason="Cancelled", actor=a),
    ),
}


def _refused(call) -> bool:
    try:
        call()
    except PermissionDenied:
        return True
    except ValidationError:  # past the permission check, refused for a business reason
        return False
    return False


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_who_may_call_each_write_service(w, service, role):
    allowed, call = SERVICES[service]
    allowed = allowed | {"system"}  # SYSTEM (jobs, commands) may do what staff may do; None is nobody
    assert _refused(lambda: call(w, w.actors[role])) is (role not in allowed)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_captain_accepts_the_terms(w, role):
    """A refusal here is a validation error (400 on the page and the API), as it always was."""
    try:
        loyalty_accounts.terms_accept(account=w.account, actor=w.actors[role])
    except ValidationError as exc:
        assert "Team Captain" in str(exc)
        assert role != "customer"
    else:
        assert role == "customer"


def test_every_action_refuses_nobody_and_says_a_job_passes_system():
    for action in access.ACTIONS:
        assert not access.can(None, action)
        with pytest.raises(PermissionDenied, match="access.SYSTEM"):
            access.require(None, action)
