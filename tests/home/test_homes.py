"""Each role's home at `/`: the blocks and counts come from real data, to-dos follow the state, another partner's
data never shows, and the number of queries does not grow with the data."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.models import CredentialVerdict, VerdictChange
from core.events import event_record
from learning.services import session_assign
from partners import access
from tests.certifications.factories import CertificationFactory, ClaimFactory
from tests.factories import AssociationFactory, IndividualFactory, PartnerFactory, make_user
from tests.learning.factories import KnowledgeSessionFactory, LearningRecordFactory
from tests.loyalty.factories import AccountFactory, make_captain, make_lot
from tests.renewals.factories import IncidentFactory, RenewalApplicationFactory
from tests.specializations.factories import PartnerSpecializationFactory

TODAY = date(2026, 6, 1)  # the renewal window opens 90 days before an anniversary


def at(day=TODAY):
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), tick=False)


def page(client, user):
    client.force_login(user)
    with at():
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def count_queries(client, user):
    client.force_login(user)
    with at():
        client.get("/")  # warm the process-wide caches (content types) first
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


# --- Partner admin -----------------------------------------------------------------------------------------


@pytest.fixture
def held(partner_a):
    """Partner A's specialization, anniversary 2026-08-01: its renewal window opened on 2026-05-03."""
    return PartnerSpecializationFactory(
        partner=partner_a,
        specialization__name="Secure Access",
        certified_on=date(2024, 8, 1),
        anniversary=date(2026, 8, 1),
    )


def test_partner_admin_sees_a_card_per_credential_with_status_deadline_and_what_is_missing(client, admin_a, held):
    body = page(client, admin_a)
    assert "Secure Access · Germany" in body and "Specialization" in body and "Approved" in body
    # no points yet, with time left: at risk, never "met"
    assert "Not met yet: 100 points by 2026-08-01" in body and "At risk" in body
    assert "Next: <strong>Anniversary</strong> on 2026-08-01" in body and "in 61 days" in body
    assert f"/partner-specializations/{held.pk}/" in body


def test_a_certification_card_names_its_tier_and_country_and_links_to_the_checklist(client, admin_a, partner_a):
    from tests.compliance.factories import certify
    from tests.factories import TerritoryFactory

    france = TerritoryFactory(code="FR", name="France")
    partner_a.territories.add(france)
    certify(partner_a, france, "Premier", on=date(2025, 9, 1), history=[(None, "Premier", date(2025, 9, 1))])
    client.force_login(admin_a)
    with at():
        response = client.get("/")
    (card,) = response.context["home"].cards
    assert (card.name, card.kind, card.status, card.url) == (
        "Premier · France",
        "Certification",
        "approved",
        f"/partners/{partner_a.pk}/compliance/",
    )
    assert (card.deadline.day, card.deadline.what, card.deadline.days) == (date(2026, 6, 3), "Renewal window opens", 2)
    assert (card.compliance, card.tone) == ("not_compliant", "bad")
    assert card.missing.startswith("Specialization: One of")  # the first unmet one


def test_partner_admin_todos_follow_the_state(client, admin_a, held, individual_a):
    soon = PartnerSpecializationFactory(
        partner=held.partner, specialization__name="Wireless", certified_on=date(2024, 9, 12),
        anniversary=TODAY + timedelta(days=90 + 12),
    )  # fmt: skip
    incident = IncidentFactory(of=held, opened_on=date(2026, 5, 20), acknowledge_by=date(2026, 6, 19))
    ClaimFactory(individual=individual_a, status="pending", earned_on=None)
    ClaimFactory(individual=individual_a, status="pending", earned_on=None)
    body = page(client, admin_a)
    assert f"Acknowledge incident #{incident.pk} on Secure Access · Germany by 2026-06-19" in body
    assert "The renewal window for Wireless · Germany opens in 12 days" in body
    assert "Submit the renewal of Secure Access · Germany by 2026-08-01" in body
    assert "points missing for Secure Access · Germany: see the plan" in body
    assert "2 CE claims pending review" in body

    incident.acknowledged_at = datetime(2026, 5, 25, tzinfo=UTC)
    incident.save()
    RenewalApplicationFactory(of=held)  # submitted for this anniversary
    body = page(client, admin_a)
    assert f"Acknowledge incident #{incident.pk}" not in body
    assert "Submit the renewal of Secure Access" not in body
    assert "The renewal window for Wireless · Germany opens in 12 days" in body
    assert soon.pk


def test_an_overdue_acknowledgement_and_a_flag_read_as_urgent(client, admin_a, held):
    incident = IncidentFactory(of=held, opened_on=date(2026, 5, 1), acknowledge_by=date(2026, 5, 31))
    assert f"Acknowledge incident #{incident.pk} on Secure Access · Germany by 2026-05-31 (overdue)" in page(
        client, admin_a
    )
    incident.flagged_for_revocation_on = date(2026, 6, 1)
    incident.save()
    assert f"Incident #{incident.pk} on Secure Access · Germany is flagged for revocation" in page(client, admin_a)


def test_partner_admin_home_shows_the_last_events_in_words_and_nothing_of_another_partner(
    client, admin_a, held, partner_b
):
    event_record(kind="partner.updated", summary="Alpha moved offices", partner=held.partner, dedupe_key="h:a")
    event_record(kind="partner.updated", summary="Bravo secret event", partner=partner_b, dedupe_key="h:b")
    theirs = PartnerSpecializationFactory(partner=partner_b, specialization__name="Bravo secret specialization")
    IncidentFactory(of=theirs, acknowledge_by=date(2026, 6, 20))
    ClaimFactory(
        individual=AssociationFactory(partner=partner_b, individual=IndividualFactory()).individual,
        status="pending",
        earned_on=None,
    )
    body = page(client, admin_a)
    assert "Alpha moved offices" in body
    assert "Bravo" not in body and "CE claim" not in body and "incident #" not in body.lower()


def test_partner_admin_home_queries_do_not_grow_with_credentials(client, admin_a, partner_a, individual_a):
    def build(n):
        for _ in range(n):
            ps = PartnerSpecializationFactory(
                partner=partner_a, certified_on=date(2024, 8, 1), anniversary=date(2026, 8, 1)
            )
            IncidentFactory(of=ps, acknowledge_by=date(2026, 6, 20))
            ClaimFactory(individual=individual_a, status="pending", earned_on=None)

    build(3)
    few = count_queries(client, admin_a)
    build(27)
    assert count_queries(client, admin_a) == few


# --- Account manager and staff --------------------------------------------------------------------------


def stored(credential, *, compliant, at_risk=False, as_of=TODAY):
    """The stored verdict (what the recompute writes) of a credential."""
    return CredentialVerdict.objects.create(
        credential_type=credential._meta.label_lower,
        credential_id=credential.pk,
        partner=credential.partner,
        territory=credential.territory,
        name=credential.specialization.name,
        partner_name=credential.partner.legal_name,
        territory_name=credential.territory.name,
        status=credential.status,
        anniversary=credential.anniversary,
        as_of=as_of,
        compliant=compliant,
        at_risk=at_risk,
        computed_at=datetime(2026, 6, 1, tzinfo=UTC),
    )


def changed(credential, *, on, compliant, requirements=()):
    return VerdictChange.objects.create(
        credential_type=credential._meta.label_lower,
        credential_id=credential.pk,
        partner=credential.partner,
        name=credential.specialization.name,
        as_of=on,
        compliant=compliant,
        requirements=list(requirements),
        recorded_at=datetime(2026, 6, 1, tzinfo=UTC),
    )


@pytest.fixture
def portfolio(partner_a, partner_b, manager):
    """Partner A (the manager's): one compliant, one at risk, one not compliant; partner B (not hers): one."""
    ok, risk, bad = (PartnerSpecializationFactory(partner=partner_a, specialization__name=n) for n in "ABC")
    stored(ok, compliant=True)
    stored(risk, compliant=True, at_risk=True)
    stored(bad, compliant=False)
    theirs = PartnerSpecializationFactory(partner=partner_b, specialization__name="Bravo secret credential")
    stored(theirs, compliant=False)
    changed(ok, on=date(2025, 1, 10), compliant=True)
    changed(
        risk, on=date(2025, 1, 10), compliant=True, requirements=[{"next_step": "10 more points", "due": "2026-06-20"}]
    )
    changed(bad, on=date(2025, 1, 10), compliant=True)
    changed(bad, on=date(2026, 5, 28), compliant=False)  # this week
    changed(theirs, on=date(2026, 5, 30), compliant=False)
    return ok, risk, bad, theirs


def test_account_manager_sees_her_portfolio_counts_changes_trend_deadlines_and_incidents(
    client, manager, portfolio, partner_b
):
    ok, risk, bad, theirs = portfolio
    IncidentFactory(of=bad, acknowledge_by=date(2026, 6, 15))
    IncidentFactory(of=theirs, acknowledge_by=date(2026, 6, 15))
    due = PartnerSpecializationFactory(
        partner=ok.partner, specialization__name="Due soon", anniversary=date(2026, 6, 21)
    )
    client.force_login(manager)
    with at():
        response = client.get("/")
    body = response.content.decode()
    home = response.context["home"]
    assert [(label, n) for label, n, _, _ in home.counts] == [
        ("Compliant or on track", 1),
        ("At risk", 1),
        ("Not compliant", 1),
    ]
    assert [(c.name, c.territory_name) for c in home.changes] == [("C", "Germany")] and "C · Germany became" in body
    assert home.incidents_total == 1 and "Not acknowledged" in body
    assert any("Due soon · Germany: anniversary in 20 days" in t.text for t in home.deadlines)
    assert any("to acknowledge by 2026-06-15" in t.text for t in home.deadlines)
    assert f"/renewals/partnerspecialization/{due.pk}/" in body
    trend = home.trend
    assert len(trend["labels"]) == 12 and trend["labels"][-1] == "Jun 2026"
    # May 2026 ends after C turned not compliant; B's shortfall falls due on 2026-06-20, within 30 days of 05-31
    assert (trend["compliant"][-2], trend["at_risk"][-2], trend["not_compliant"][-2]) == (1, 1, 1)
    assert (trend["compliant"][0], trend["at_risk"][0], trend["not_compliant"][0]) == (3, 0, 0)  # July 2025
    assert "Bravo" not in body and [q.label for q in home.queues] == ["Renewal applications to decide"]
    assert 'id="trend-data"' in body and "home-trend-chart.js" in body


def test_staff_sees_the_whole_program_and_the_queues(client, staff_user, portfolio, individual_a):
    ok, risk, bad, theirs = portfolio
    claim = ClaimFactory(individual=individual_a, status="pending", earned_on=None)
    RenewalApplicationFactory(of=ok)
    IncidentFactory(of=theirs, acknowledge_by=date(2026, 5, 1), flagged_for_revocation_on=date(2026, 5, 20))
    from tests.compliance.factories import HybridITServiceFactory

    HybridITServiceFactory(partner=bad.partner, territory=bad.territory, verified_on=None)
    client.force_login(staff_user)
    with at():
        response = client.get("/")
    home = response.context["home"]
    assert [(label, n) for label, n, _, _ in home.counts] == [
        ("Compliant or on track", 1),
        ("At risk", 1),
        ("Not compliant", 2),
    ]
    queues = {q.label: q for q in home.queues}
    assert {k: q.count for k, q in queues.items()} == {
        "CE claims to review": 1,
        "Renewal applications to decide": 1,
        "Records to verify": 1,
        "Incidents flagged for revocation": 1,
    }
    assert queues["Records to verify"].items[0].text == "Alpha Networks: 1 record"
    assert queues["CE claims to review"].items[0].url == f"/learning/ce/claims/{claim.pk}/"
    body = response.content.decode()
    assert "/learning/ce/review/" in body and "/incidents/?state=flagged" in body and "Bravo Systems" in body


def test_portfolio_home_queries_do_not_grow_with_partners(client, manager, staff_user):
    def build(n):
        for _ in range(n):
            partner = PartnerFactory()
            partner.account_managers.add(manager)
            ps = PartnerSpecializationFactory(partner=partner, anniversary=date(2026, 6, 20))
            stored(ps, compliant=False)
            changed(ps, on=date(2026, 5, 30), compliant=False)
            IncidentFactory(of=ps, acknowledge_by=date(2026, 6, 10), flagged_for_revocation_on=date(2026, 5, 30))
            RenewalApplicationFactory(of=ps)

    build(3)
    few = {who: count_queries(client, who) for who in (manager, staff_user)}
    build(27)
    assert {who: count_queries(client, who) for who in (manager, staff_user)} == few


# --- Partner member ------------------------------------------------------------------------------------------


def test_member_sees_her_certifications_claims_and_what_she_was_asked_to_take(client, member_a, individual_a, held):
    CertificationFactory(individual=individual_a, track="Enterprise Infrastructure")
    ClaimFactory(individual=individual_a, status="pending", earned_on=None, course_name="Routing deep dive")
    colleague = AssociationFactory(partner=held.partner, individual=IndividualFactory()).individual
    CertificationFactory(individual=colleague, track="Colleague secret track")
    session = KnowledgeSessionFactory(title="SD-Access design", connects=[held.specialization])
    done = KnowledgeSessionFactory(title="Zero trust basics", connects=[held.specialization])
    with at(date(2026, 5, 10)):
        for s in (session, done):
            session_assign(
                partner_specialization=held, session=s, individual=individual_a, due=held.anniversary,
                actor=access.SYSTEM,
            )  # fmt: skip
            session_assign(
                partner_specialization=held, session=s, individual=colleague, due=held.anniversary, actor=access.SYSTEM
            )
    LearningRecordFactory(partner=held.partner, individual=individual_a, session=done, occurred_on=date(2026, 5, 20))
    client.force_login(member_a)
    with at():
        response = client.get("/")
    body = response.content.decode()
    assert "Enterprise Infrastructure" in body and "Renewal path" in body  # CE progress
    assert "Routing deep dive" in body and "1 claim pending review" in body
    assert [(a.session.title, a.done, a.due) for a in response.context["home"].assignments] == [
        ("SD-Access design", False, date(2026, 8, 1)),
        ("Zero trust basics", True, date(2026, 8, 1)),
    ]
    assert "for Secure Access" in body and "Colleague secret track" not in body


def test_member_home_queries_do_not_grow_with_certifications_and_assignments(client, member_a, individual_a, held):
    def build(n):
        for _ in range(n):
            CertificationFactory(individual=individual_a)
            ClaimFactory(individual=individual_a)
            s = KnowledgeSessionFactory(connects=[held.specialization])
            with at(date(2026, 5, 10)):
                session_assign(
                    partner_specialization=held, session=s, individual=individual_a, due=held.anniversary,
                    actor=access.SYSTEM,
                )  # fmt: skip

    build(3)
    few = count_queries(client, member_a)
    build(27)
    assert count_queries(client, member_a) == few


def test_member_without_a_person_gets_a_plain_explanation(client, partner_a):
    member = make_user("partner_member", partner=partner_a, username="no-person")
    assert "not linked to a person" in page(client, member)


# --- Team Captain --------------------------------------------------------------------------------------------


def test_captain_sees_balance_lots_expiring_first_and_what_she_can_redeem(client, db):
    captain = make_captain("cap-home", login_id="cco-home")
    account = AccountFactory(name="Contoso", captain=captain, terms_accepted_by=captain)
    make_lot(account, 100, date(2025, 6, 3), expires_on=date(2026, 6, 4))  # expires in 3 days: no exam voucher
    make_lot(account, 50, date(2025, 9, 1), expires_on=date(2026, 9, 1))
    AccountFactory(name="Northwind secret account")
    client.force_login(captain)
    with at():
        response = client.get("/")
    body = response.content.decode()
    (home,) = response.context["accounts"]
    assert home.account.balance == 150
    assert [(lot.remaining, lot.expires_on) for lot in home.lots] == [(100, date(2026, 6, 4)), (50, date(2026, 9, 1))]
    redeemable = dict(home.redeemable)
    assert redeemable["Exam voucher"] == 50 and set(redeemable.values()) == {150, 50}
    assert "Northwind" not in body and "Contoso" in body


def test_captain_home_queries_do_not_grow_with_lots_or_accounts(client, db):
    captain = make_captain("cap-many", login_id="cco-many")

    def build(n):
        for i in range(n):
            account = AccountFactory(captain=captain, terms_accepted_by=captain)
            make_lot(account, 10 + i, date(2025, 9, 1), expires_on=date(2026, 9, 1))

    build(3)
    few = count_queries(client, captain)
    build(27)
    assert count_queries(client, captain) == few


def test_a_user_without_a_role_is_told_so(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    response = client.get("/")
    assert response.status_code == 403 and "No role yet" in response.content.decode()
