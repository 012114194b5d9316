"""The event feed: what each caller sees, paging with the cursor, filters, and the shape of an event."""

import pytest

from core.event_kinds import KINDS
from core.event_payloads import PAYLOADS, subject_of
from core.events import event_record
from integrations.selectors import Cursor

pytestmark = pytest.mark.django_db


def _record(partner, n, kind="partner.updated", **kwargs):
    return [event_record(kind=kind, summary=f"{kind} {i}", partner=partner, **kwargs)[0] for i in range(n)]


def _read_all(client, limit=2, **params):
    ids, cursor, pages = [], None, 0
    while True:
        query = {"limit": limit, **params, **({"after": cursor} if cursor else {})}
        body = client.get("/api/v1/events/", query).json()
        ids += [e["id"] for e in body["results"]]
        cursor, pages = body["cursor"], pages + 1
        if not body["has_more"]:
            return ids, cursor, pages


def test_a_partner_admin_pages_through_her_partners_events_only_once_each(partner_a, partner_b, api, admin_a):
    mine = _record(partner_a, 5)
    _record(partner_b, 3)
    ids, cursor, pages = _read_all(api(admin_a))
    assert ids == [e.pk for e in mine] and pages == 3
    more = _record(partner_a, 2)
    again, _, _ = _read_all(api(admin_a), after=cursor)
    assert again == [e.pk for e in more]


def test_an_empty_page_keeps_the_cursor(partner_a, api, admin_a):
    _record(partner_a, 1)
    first = api(admin_a).get("/api/v1/events/").json()
    empty = api(admin_a).get("/api/v1/events/", {"after": first["cursor"]}).json()
    assert empty == {"results": [], "cursor": first["cursor"], "has_more": False}


def test_staff_see_program_events_and_filter_by_partner_kind_and_time(partner_a, partner_b, api, staff_user):
    a = _record(partner_a, 2)
    b = _record(partner_b, 1, kind="partner.created")
    program = event_record(kind="csat.measurement_date_changed", summary="moved")[0]
    client = api(staff_user)
    assert _read_all(client)[0] == [e.pk for e in [*a, *b, program]]
    assert _read_all(client, partner=partner_b.pk)[0] == [b[0].pk]
    assert _read_all(client, kind=["partner.created", "csat.measurement_date_changed"])[0] == [b[0].pk, program.pk]
    assert _read_all(client, occurred_after="2999-01-01T00:00:00Z")[0] == []


def test_a_member_does_not_see_a_colleagues_personal_events(partner_a, api, member_a, individual_a):
    from tests.factories import AssociationFactory, IndividualFactory  # the colleague only this test needs

    colleague = AssociationFactory(partner=partner_a, individual=IndividualFactory()).individual
    own = event_record(kind="ce_exam.recorded", summary="mine", partner=partner_a, individual=individual_a)[0]
    event_record(kind="ce_exam.recorded", summary="hers", partner=partner_a, individual=colleague)
    assert _read_all(api(member_a))[0] == [own.pk]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"kind": "partner.exploded"}, "kind"),
        ({"after": "not-a-cursor"}, "after"),
        ({"after": Cursor(1, 2).encode() + "%%"}, "after"),
        ({"occurred_after": "yesterday"}, "occurred_after"),
        ({"occurred_after": "0001-01-01T00:00:00+05:00"}, "occurred_after"),
        ({"limit": "0"}, "limit"),
        ({"limit": "100000"}, "limit"),
        ({"partner": "x"}, "partner"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(api, admin_a, params, field):
    answer = api(admin_a).get("/api/v1/events/", params)
    assert answer.status_code == 400 and field in answer.json()


def test_an_event_has_its_subject_with_a_link_and_its_payload(partner_a, api, admin_a, individual_a):
    event_record(
        kind="individual.associated",
        summary="joined",
        partner=partner_a,
        individual=individual_a,
        payload={"individual": individual_a.pk, "start": "2026-01-01"},
    )
    (event,) = api(admin_a).get("/api/v1/events/").json()["results"]
    assert event["kind"] == "individual.associated" and event["partner"] == partner_a.pk
    assert event["subject"]["type"] == "individual" and event["subject"]["id"] == individual_a.pk
    assert event["subject"]["link"].endswith(f"/api/v1/individuals/{individual_a.pk}/")
    assert event["payload"] == {"individual": individual_a.pk, "start": "2026-01-01"}


def test_every_kind_has_a_payload_shape_and_credentials_resolve_to_their_type():
    assert PAYLOADS.keys() == KINDS.keys()
    assert subject_of("renewal.opened", 1, {"credential": "compliance.partnercertification:7"}) == ("certification", 7)
    assert subject_of(
        "compliance.verdict_changed", 1, {"credential": ["specializations.partnerspecialization", 3]}
    ) == (
        "partner_specialization",
        3,
    )
    assert subject_of("csat.response_recorded", 4, {}) == ("partner", 4)
    assert subject_of("loyalty.tiers_placed", None, {"fiscal_year": 2026}) == ("program", None)


def test_the_feed_needs_a_sign_in(client):
    assert client.get("/api/v1/events/").status_code in (401, 403)


def test_a_page_costs_the_same_queries_whatever_its_length(partner_a, integration, admin_a, django_assert_num_queries):
    _, client = integration(admin_a)
    client.get("/api/v1/events/")  # notes the token's first use
    _record(partner_a, 3)
    with django_assert_num_queries(3) as small:  # the token with its owner, its partners, the page
        client.get("/api/v1/events/")
    _record(partner_a, 60)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get("/api/v1/events/", {"limit": 100}).json()["results"]) == 63
