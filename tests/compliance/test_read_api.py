"""The read API at scale: verdicts served from the stored rows when they hold, the portfolio in its stored order
with page numbers and cursor pages, and sort keys that follow renames."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from rest_framework import serializers

from compliance.models import CredentialVerdict, PartnerCertification
from compliance.selectors import PORTFOLIO_ORDER
from compliance.services.recompute import verdicts_recompute
from core import clock, status
from core.models import CredentialStatus, PendingRecompute
from partners.services import partner_update
from tests.compliance.factories import certify
from tests.csat.factories import responses
from tests.factories import PartnerFactory, TerritoryFactory
from tests.specializations.factories import PartnerSpecializationFactory

TODAY = date(2026, 2, 10)
pytestmark = pytest.mark.django_db


@pytest.fixture
def germany(partner_a):
    t = TerritoryFactory(code="DE", name="Germany")
    partner_a.territories.add(t)
    return t


def _hold(partner, territory, n, first=0):
    """n certifications (one per country) for the partner, recomputed and stored as of TODAY."""
    for i in range(first, first + n):
        where = territory if i == 0 else TerritoryFactory(code=f"X{i}", name=f"Country {i}")
        certify(partner, where, name="Silver", on=date(2020, 1, 1), anniversary=date(2026, 6, 1))
        responses(partner, where, 10, date(2025, 1, 15))
    verdicts_recompute(partner_ids=[partner.pk], as_of=TODAY)
    PendingRecompute.objects.all().delete()


def _verdicts(api, user, partner, query=""):
    with CaptureQueriesContext(connection) as queries:
        response = api(user).get(f"/api/v1/verdicts/?partner={partner.pk}{query}")
    assert response.status_code == 200
    return response.json(), len(queries)


@time_machine.travel("2026-02-10 12:00Z")
def test_verdicts_today_come_from_the_stored_rows_while_they_hold(api, admin_a, partner_a, germany):
    _hold(partner_a, germany, 1)
    CredentialVerdict.objects.update(next_change_on=None)
    live, live_queries = _verdicts(api, admin_a, partner_a)  # next_change_on unknown: computed live
    CredentialVerdict.objects.update(next_change_on=TODAY + timedelta(days=30))
    stored, stored_queries = _verdicts(api, admin_a, partner_a)
    assert stored == live and stored[0]["as_of"] == "2026-02-10"
    assert stored_queries < live_queries

    # The stored row is what is served: mark it compliant, and the answer says so while it holds...
    CredentialVerdict.objects.update(compliant=True)
    assert _verdicts(api, admin_a, partner_a)[0][0]["compliant"] is True
    # ...but not once the date can change it, nor while a recompute is pending, nor on another day.
    CredentialVerdict.objects.update(next_change_on=TODAY)
    assert _verdicts(api, admin_a, partner_a)[0][0]["compliant"] is False
    CredentialVerdict.objects.update(next_change_on=TODAY + timedelta(days=30))
    PendingRecompute.objects.create(partner=partner_a, requested_at=clock.now())
    assert _verdicts(api, admin_a, partner_a)[0][0]["compliant"] is False
    PendingRecompute.objects.all().delete()
    assert _verdicts(api, admin_a, partner_a, "&as_of=2026-02-11")[0][0]["compliant"] is False
    assert _verdicts(api, admin_a, partner_a)[0][0]["compliant"] is True


@time_machine.travel("2026-02-10 12:00Z")
def test_stored_verdicts_take_the_same_queries_whatever_the_number_of_credentials(api, admin_a, partner_a, germany):
    _hold(partner_a, germany, 1)
    CredentialVerdict.objects.update(next_change_on=TODAY + timedelta(days=30))
    one = _verdicts(api, admin_a, partner_a)[1]
    _hold(partner_a, germany, 4, first=1)  # four more countries
    CredentialVerdict.objects.update(next_change_on=TODAY + timedelta(days=30))
    rows, five = _verdicts(api, admin_a, partner_a)
    assert len(rows) == 5 and five == one


def _mixed(partner, germany):
    """Certifications in two countries and three specializations (one in a country of no certification), stored as
    of TODAY with a next change a month away."""
    _hold(partner, germany, 2)
    france = TerritoryFactory(code="FR", name="France")
    for where, anniversary in ((germany, date(2026, 9, 1)), (france, date(2026, 4, 1)), (germany, date(2026, 4, 1))):
        PartnerSpecializationFactory(partner=partner, territory=where, anniversary=anniversary)
    verdicts_recompute(partner_ids=[partner.pk], as_of=TODAY)
    PendingRecompute.objects.all().delete()
    CredentialVerdict.objects.update(next_change_on=TODAY + timedelta(days=30))


@time_machine.travel("2026-02-10 12:00Z")
def test_the_stored_answer_is_the_live_answer_in_one_query(api, staff_user, admin_a, partner_a, germany):
    _mixed(partner_a, germany)
    stored, queries = _verdicts(api, staff_user, partner_a)
    assert queries == 1  # authentication aside (forced here): the stored rows with all they need, nothing more
    assert _verdicts(api, admin_a, partner_a) == (stored, 1)  # the partner admin's role is known: no extra query
    CredentialVerdict.objects.update(next_change_on=None)  # unknown next change: everything computed live
    live, live_queries = _verdicts(api, staff_user, partner_a)
    assert stored == live and live_queries > 5
    assert [(r["credential_type"][:5], r["country"], r["anniversary"]) for r in stored] == [
        ("compl", "X1", "2026-06-01"),  # Country 1
        ("compl", "DE", "2026-06-01"),  # Germany
        ("speci", "FR", "2026-04-01"),
        ("speci", "DE", "2026-04-01"),
        ("speci", "DE", "2026-09-01"),
    ]


@time_machine.travel("2026-02-10 12:00Z")
def test_a_credential_the_stored_rows_do_not_hold_is_computed(api, staff_user, admin_b, partner_a, germany):
    _mixed(partner_a, germany)
    stored, _ = _verdicts(api, staff_user, partner_a)
    # A specialization added since the night has no row yet: the answer still names it (computed).
    PartnerSpecializationFactory(partner=partner_a, territory=germany, anniversary=date(2026, 12, 1))
    PendingRecompute.objects.all().delete()
    rows, queries = _verdicts(api, staff_user, partner_a)
    assert len(rows) == 6 and rows[:5] == stored and queries > 1
    # A status moved by the renewal scan (not yet recomputed): the credential's own status, the live verdict.
    verdicts_recompute(partner_ids=[partner_a.pk], as_of=TODAY)
    CredentialVerdict.objects.update(next_change_on=TODAY + timedelta(days=30))
    PendingRecompute.objects.all().delete()
    cert = CredentialVerdict.objects.filter(credential_type="compliance.partnercertification").first()
    PartnerCertification.objects.filter(pk=cert.credential_id).update(status=CredentialStatus.RECERT)
    key = (cert.credential_type, cert.credential_id)
    rows, queries = _verdicts(api, staff_user, partner_a)
    assert queries > 1 and [r["status"] for r in rows if (r["credential_type"], r["credential_id"]) == key] == [
        "recert"
    ]
    # Another partner's admin sees nothing of it, stored or not.
    assert api(admin_b).get(f"/api/v1/verdicts/?partner={partner_a.pk}").status_code == 404
    CredentialVerdict.objects.update(status=CredentialStatus.RECERT)
    PartnerCertification.objects.update(status=CredentialStatus.RECERT)
    assert api(admin_b).get(f"/api/v1/verdicts/?partner={partner_a.pk}").status_code == 404


def _portfolio(n):
    """n partners, named out of insertion order, each certified in one of three countries."""
    countries = [TerritoryFactory(code=f"P{i}", name=f"Land {i}") for i in range(3)]
    for i in range(n):
        partner = PartnerFactory(legal_name=f"Partner {(i * 7) % n:03d}")
        certify(partner, countries[i % 3], on=date(2020, 1, 1), anniversary=date(2026, 3, 1 + i % 28))
    verdicts_recompute(partner_ids=None, as_of=TODAY)


def _names(rows):
    return [(r["partner_name"], r["country"], r["name"], r["id"]) for r in rows]


@time_machine.travel("2026-02-10 12:00Z")
def test_cursor_pages_walk_the_portfolio_in_order_forwards_and_back(api, staff_user):
    _portfolio(120)
    client = api(staff_user)
    numbered = []
    for page in (1, 2, 3):
        numbered += client.get(f"/api/v1/portfolio/?page={page}").json()["results"]
    assert [r["partner_name"] for r in numbered] == sorted(f"Partner {i:03d}" for i in range(120))

    pages, url = [], "/api/v1/portfolio/?cursor="
    while url:
        body = client.get(url).json()
        assert "count" not in body
        pages.append(body)
        url = body["next"]
    assert [len(p["results"]) for p in pages] == [50, 50, 20]
    assert _names(r for p in pages for r in p["results"]) == _names(numbered)
    assert pages[0]["previous"] is None
    back = client.get(pages[2]["previous"]).json()
    assert _names(back["results"]) == _names(pages[1]["results"])
    assert _names(client.get(back["previous"]).json()["results"]) == _names(pages[0]["results"])

    gold = client.get("/api/v1/portfolio/?cursor=&tier=gold").json()["results"]
    assert gold == []  # filters apply to cursor pages too
    assert client.get("/api/v1/portfolio/?cursor=&sort=-anniversary").status_code == 400
    assert client.get("/api/v1/portfolio/?cursor=nonsense").status_code == 400
    assert client.get("/api/v1/portfolio/?cursor=WzAsIDFd").status_code == 400  # [0, 1]: not a position


@time_machine.travel("2026-02-10 12:00Z")
def test_a_deep_page_takes_the_queries_of_the_first(api, staff_user):
    _portfolio(120)
    client = api(staff_user)
    counted = {}
    for url in ("/api/v1/portfolio/", "/api/v1/portfolio/?page=3", "/api/v1/portfolio/?cursor="):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counted[url] = len(queries)
    assert counted["/api/v1/portfolio/"] == counted["/api/v1/portfolio/?page=3"]
    assert counted["/api/v1/portfolio/"] == 2  # the count, the page's rows (its ids a subquery)
    assert counted["/api/v1/portfolio/?cursor="] == 1  # the rows
    tied = client.get("/api/v1/portfolio/?sort=-anniversary&page=1").json()["results"]
    tied += client.get("/api/v1/portfolio/?sort=-anniversary&page=2").json()["results"]
    tied += client.get("/api/v1/portfolio/?sort=-anniversary&page=3").json()["results"]
    assert len({r["id"] for r in tied}) == 120  # equal anniversaries keep one order across pages


@time_machine.travel("2026-02-10 12:00Z")
def test_renaming_a_partner_or_country_moves_its_rows_in_the_portfolio(api, staff_user, partner_a, partner_b, germany):
    partner_b.territories.add(germany)
    certify(partner_a, germany, on=date(2020, 1, 1))
    certify(partner_b, germany, on=date(2020, 1, 1))
    verdicts_recompute(partner_ids=None, as_of=TODAY)
    first = lambda: [r["partner_name"] for r in api(staff_user).get("/api/v1/portfolio/").json()["results"]]  # noqa: E731
    assert first() == ["Alpha Networks", "Bravo Systems"]
    partner_update(partner=partner_a, actor=staff_user, legal_name="Zulu Networks")
    assert first() == ["Bravo Systems", "Zulu Networks"]
    germany.name = "Deutschland"
    germany.save()
    assert set(CredentialVerdict.objects.values_list("territory_name", flat=True)) == {"Deutschland"}
    verdicts_recompute(partner_ids=None, as_of=TODAY)  # the recompute agrees with the renamed keys
    assert first() == ["Bravo Systems", "Zulu Networks"]


@time_machine.travel("2026-02-10 12:00Z")
def test_portfolio_rows_are_what_drf_would_write(partner_a, germany):
    certify(partner_a, germany, on=date(2020, 1, 1))
    verdicts_recompute(partner_ids=None, as_of=TODAY)
    serializer = resolve("/api/v1/portfolio/").func.cls.serializer_class()  # via the URLs: as the API loads it
    row = CredentialVerdict.objects.select_related("territory").get()
    assert serializer.to_representation(row) == serializers.ModelSerializer.to_representation(serializer, row)


@time_machine.travel("2026-02-10 12:00Z")
def test_the_portfolio_api_lists_the_unmet_requirements_as_stored(api, staff_user, partner_a, germany):
    _mixed(partner_a, germany)
    rows = api(staff_user).get("/api/v1/portfolio/").json()["results"]
    stored = {
        (v.credential_type, v.credential_id): [r["label"] for r in v.requirements if not r["met"]]
        for v in CredentialVerdict.objects.all()
    }
    assert len(rows) == 5 and any(r["unmet"] for r in rows) and any(not r["unmet"] for r in rows)
    assert {(r["credential_type"], r["credential_id"]): r["unmet"] for r in rows} == stored
    # the compliance word, read by the database on PostgreSQL, is what core.status makes of the stored requirements
    words = {
        (v.credential_type, v.credential_id): status.compliance_value(
            compliant=v.compliant, at_risk=v.at_risk, requirements=v.requirements
        )
        for v in CredentialVerdict.objects.all()
    }
    assert {(r["credential_type"], r["credential_id"]): r["compliance"] for r in rows} == words


@time_machine.travel("2026-02-10 12:00Z")
def test_the_portfolio_words_read_the_requirements_without_a_query_per_row(api, staff_user, partner_a, germany):
    _mixed(partner_a, germany)
    CredentialVerdict.objects.update(compliant=True, at_risk=False)  # the words then depend on the requirements
    with CaptureQueriesContext(connection) as queries:
        rows = api(staff_user).get("/api/v1/portfolio/").json()["results"]
    assert len(queries) == 2  # the count, the page's rows: not one more per row for its requirements
    words = {
        v.pk: status.compliance_value(compliant=True, at_risk=False, requirements=v.requirements)
        for v in CredentialVerdict.objects.all()
    }
    assert {r["id"]: r["compliance"] for r in rows} == words
    assert {"compliant", "on_track"} <= set(words.values())
    for r in rows:
        assert r["compliance_label"] == status.label(status.COMPLIANCE, r["compliance"])


@time_machine.travel("2026-02-10 12:00Z")
def test_a_page_nearer_the_end_read_from_the_end_holds_the_same_rows(api, staff_user):
    _portfolio(120)
    CredentialVerdict.objects.filter(pk__in=CredentialVerdict.objects.order_by("pk").values("pk")[:40]).update(
        anniversary=date(2026, 3, 5)
    )  # ties in the chosen sort: the portfolio order breaks them
    client = api(staff_user)
    for query, order in (
        ("", PORTFOLIO_ORDER),
        ("&sort=-anniversary", ("-anniversary", *PORTFOLIO_ORDER)),
        ("&sort=anniversary", ("anniversary", *PORTFOLIO_ORDER)),
    ):
        every = list(CredentialVerdict.objects.order_by(*order).values_list("pk", flat=True))
        for page in (1, 2, 3):
            rows = client.get(f"/api/v1/portfolio/?page={page}&page_size=50{query}").json()["results"]
            assert [r["id"] for r in rows] == every[(page - 1) * 50 : page * 50], (query, page)
