"""points_progress against the real database: windows, once per cycle, connections, tenancy, query counts."""

from datetime import date

import pytest

from learning import rules
from learning.selectors import (
    points_progress,
    points_progress_all,
    specialization_ledger,
    specialization_plan,
)
from learning.services import learning_record_reverse
from partners.access import SYSTEM
from specializations.models import SpecializationKind
from tests.factories import AssociationFactory, IndividualFactory, PartnerFactory
from tests.learning.factories import KnowledgeSessionFactory, LearningRecordFactory
from tests.specializations.factories import (
    ArchitectureFactory,
    PartnerSpecializationFactory,
    SpecializationFactory,
)

pytestmark = pytest.mark.django_db


def progress(ps, as_of):
    return points_progress(partner_specializations=[ps], as_of=as_of)[ps.pk]


@pytest.fixture
def security():
    return ArchitectureFactory(name="Security")


@pytest.fixture
def held(security):
    """Alpha holds Advanced Security Architecture, anniversary 2017-06-30 (100 points, window from 2016-07-01)."""
    spec = SpecializationFactory(name="Advanced Security Architecture", architecture=security)
    return PartnerSpecializationFactory(
        partner=PartnerFactory(legal_name="Alpha"), specialization=spec, anniversary=date(2017, 6, 30)
    )


@pytest.fixture
def person(held):
    return AssociationFactory(partner=held.partner, individual=IndividualFactory()).individual


def record(held, person, session, day, how="viewed", **kw):
    return LearningRecordFactory(
        partner=held.partner, individual=person, session=session, occurred_on=day, how=how, **kw
    )


def test_window_of_exactly_twelve_months_counts_from_the_day_after(held, person, security):
    s1, s2, s3 = (KnowledgeSessionFactory(points=p, connects=[security]) for p in (1, 5, 10))
    record(held, person, s1, date(2016, 6, 30))  # twelve months before: outside
    record(held, person, s2, date(2016, 7, 1))  # first day inside
    record(held, person, s3, date(2017, 6, 30))  # the anniversary itself: inside
    p = progress(held, date(2017, 6, 30))
    assert (p.collected, p.display, p.window_start, p.window_end) == (15, "15/100", date(2016, 7, 1), date(2017, 6, 30))
    assert progress(held, date(2017, 6, 29)).collected == 5  # as of the day before, the last one is not there yet


def test_anniversary_on_29_february(security, person, held):
    held.anniversary = date(2024, 2, 29)
    held.save()
    session_a, session_b = (
        KnowledgeSessionFactory(points=10, connects=[security]),
        KnowledgeSessionFactory(points=20, connects=[security]),
    )
    record(held, person, session_a, date(2023, 2, 28))  # 12 months back, clamped: outside
    record(held, person, session_b, date(2023, 3, 1))
    p = progress(held, date(2024, 2, 29))
    assert (p.collected, p.window_start) == (20, date(2023, 3, 1))


def test_points_after_a_renewal_carry_into_the_next_cycle_not_the_renewed_one(held, person, security):
    before, after = (
        KnowledgeSessionFactory(points=20, connects=[security]),
        KnowledgeSessionFactory(points=10, connects=[security]),
    )
    record(held, person, before, date(2017, 5, 1))
    record(held, person, after, date(2017, 7, 10))  # after the anniversary, before the renewal is filed
    assert progress(held, date(2017, 7, 20)).collected == 20  # still the cycle ending 2017-06-30
    held.last_renewed_on, held.anniversary = date(2017, 6, 30), date(2018, 6, 30)  # the renewal
    held.save()
    renewed, nxt = progress(held, date(2017, 6, 30)), progress(held, date(2017, 7, 20))
    assert (renewed.window_end, renewed.collected) == (date(2017, 6, 30), 20)
    assert (nxt.window_start, nxt.window_end, nxt.collected) == (date(2017, 7, 1), date(2018, 6, 30), 10)


def test_view_counts_download_does_not_and_assessment_only_on_pass(held, person, security):
    plain = KnowledgeSessionFactory(points=5, connects=[security])
    prep = KnowledgeSessionFactory(points=10, via_assessment=True, connects=[security])
    record(held, person, plain, date(2017, 1, 5), how="downloaded")
    record(held, person, prep, date(2017, 1, 6), how="viewed")
    record(held, person, prep, date(2017, 1, 7), how="downloaded")
    assert progress(held, date(2017, 2, 1)).collected == 0
    record(held, person, plain, date(2017, 1, 8), how="viewed")
    record(held, person, prep, date(2017, 1, 9), how="assessment_passed")
    assert progress(held, date(2017, 2, 1)).collected == 15


def test_the_same_session_viewed_twice_counts_once_per_individual(held, person, security):
    session = KnowledgeSessionFactory(points=10, connects=[security])
    record(held, person, session, date(2016, 9, 1))
    record(held, person, session, date(2017, 2, 1))
    colleague = AssociationFactory(partner=held.partner, individual=IndividualFactory()).individual
    record(held, colleague, session, date(2017, 2, 2))
    p = progress(held, date(2017, 6, 30))
    assert p.collected == 20
    ledger = specialization_ledger(
        user=_staff(),
        ps=held,
        window=rules.window_for(
            rules.Holding(held.pk, held.partner_id, "x", "architecture", held.anniversary), [], date(2017, 6, 30)
        ),
    )
    assert [r.cycle_points for r in ledger] == [10, 0, 10]
    assert ledger[1].note == "Already earned by this individual in this cycle."


def test_one_completion_counts_towards_every_connected_specialization_held(held, person, security):
    express = SpecializationFactory(name="Express Security", kind=SpecializationKind.EXPRESS, architecture=None)
    other_arch = SpecializationFactory(
        name="Advanced Collaboration Architecture", architecture=ArchitectureFactory(name="Collaboration")
    )
    ps_express = PartnerSpecializationFactory(
        partner=held.partner, specialization=express, anniversary=date(2017, 1, 20)
    )
    ps_other = PartnerSpecializationFactory(partner=held.partner, specialization=other_arch)
    session = KnowledgeSessionFactory(points=20, connects=[security, express])
    record(held, person, session, date(2017, 1, 2))
    result = points_progress(partner_specializations=[held, ps_express, ps_other], as_of=date(2017, 1, 10))
    assert {pk: p.collected for pk, p in result.items()} == {held.pk: 20, ps_express.pk: 20, ps_other.pk: 0}
    assert result[ps_express.pk].display == "20/20" and result[ps_express.pk].met  # transitional express


def test_a_reversed_entry_stops_counting_and_stays_in_the_history(held, person, security):
    session = KnowledgeSessionFactory(points=10, connects=[security])
    wrong = record(held, person, session, date(2017, 1, 2))
    learning_record_reverse(record=wrong, reason="Entered for the wrong person", actor=SYSTEM)
    assert progress(held, date(2017, 2, 1)).collected == 0
    assert wrong.reversals.get().reason == "Entered for the wrong person"


def test_retired_specialization_shows_points_but_is_not_met(held, person, security):
    held.specialization.retired_on = date(2017, 5, 1)
    held.specialization.end_of_sale = date(2016, 5, 1)
    held.specialization.save()
    record(held, person, KnowledgeSessionFactory(points=20, connects=[security]), date(2017, 1, 2))
    p = progress(held, date(2017, 2, 1))
    assert p.retired and not p.met and p.collected == 20 and p.forecast.needed == 0


def test_another_partners_records_are_never_counted(held, person, security):
    session = KnowledgeSessionFactory(points=20, connects=[security])
    other = PartnerSpecializationFactory(partner=PartnerFactory(legal_name="Bravo"), specialization=held.specialization)
    record(other, AssociationFactory(partner=other.partner).individual, session, date(2017, 1, 2))
    assert progress(held, date(2017, 2, 1)).collected == 0
    assert progress(other, date(2017, 2, 1)).collected == 20


def test_progress_costs_a_constant_number_of_queries(django_assert_max_num_queries, security, held, person):
    session = KnowledgeSessionFactory(points=5, connects=[security])
    many = [held]
    for _n in range(15):
        ps = PartnerSpecializationFactory(
            partner=held.partner, specialization=SpecializationFactory(architecture=security)
        )
        many.append(ps)
    record(held, person, session, date(2017, 1, 2))
    with django_assert_max_num_queries(3):
        result = points_progress(partner_specializations=many, as_of=date(2017, 2, 1))
    assert len(result) == 16 and all(p.collected == 5 for p in result.values())
    with django_assert_max_num_queries(3):
        everything = points_progress_all(as_of=date(2017, 2, 1))
    assert everything.keys() == result.keys()


def test_recent_pace_uses_the_policy_pace_days(held, person, security):
    old, new = (
        KnowledgeSessionFactory(points=20, connects=[security]),
        KnowledgeSessionFactory(points=10, connects=[security]),
    )
    record(held, person, old, date(2017, 1, 1))
    record(held, person, new, date(2017, 4, 1))
    p = progress(held, date(2017, 5, 1))  # pace period: after 2017-01-31
    assert p.forecast.recent_points == 10 and p.forecast.needed == 70


def test_plan_proposes_connected_active_sessions_for_people_who_have_not_earned_them(held, person, security):
    done = KnowledgeSessionFactory(points=20, duration_hours=20, connects=[security])
    KnowledgeSessionFactory(points=20, duration_hours=20, connects=[security], is_active=False)
    KnowledgeSessionFactory(points=20, duration_hours=20)  # not connected
    record(held, person, done, date(2017, 1, 2))
    p = progress(held, date(2017, 2, 1))
    plan = specialization_plan(
        ps=held,
        window=rules.Window(date(2017, 6, 30), date(2016, 7, 1), date(2017, 6, 30), date(2017, 2, 1), None),
        gap=p.forecast.needed,
        as_of=date(2017, 2, 1),
    )
    assert plan.items == [] and plan.gap == 80  # the only connected active session is done by the only person
    AssociationFactory(partner=held.partner, individual=IndividualFactory(first_name="Zed"))
    plan = specialization_plan(
        ps=held,
        window=rules.Window(date(2017, 6, 30), date(2016, 7, 1), date(2017, 6, 30), date(2017, 2, 1), None),
        gap=80,
        as_of=date(2017, 2, 1),
    )
    assert [(o.session_id, o.individual.split()[0]) for o in plan.items] == [(done.pk, "Zed")]


def _staff():
    from tests.factories import make_user

    return make_user("staff", username="ledger-staff")
