import pytest

from partners.models import Individual
from tests.factories import IndividualFactory, TerritoryFactory
from tests.page_refs import all_local


@pytest.mark.django_db
def test_partner_admin_lists_only_own_partner(api, admin_a, partner_a, partner_b):
    res = api(admin_a).get("/api/v1/partners/")
    assert res.status_code == 200
    assert [p["legal_name"] for p in res.json()["results"]] == ["Alpha Networks"]
    assert api(admin_a).get(f"/api/v1/partners/{partner_b.pk}/").status_code == 404


@pytest.mark.django_db
def test_account_manager_sees_assigned_partners_only(api, manager, partner_a, partner_b):
    names = [p["legal_name"] for p in api(manager).get("/api/v1/partners/").json()["results"]]
    assert names == ["Alpha Networks"]


@pytest.mark.django_db
def test_anonymous_is_refused(api, partner_a):
    assert api(None).get("/api/v1/partners/").status_code in (401, 403)


@pytest.mark.django_db
def test_staff_creates_partner_with_territories(api, staff_user):
    TerritoryFactory(code="DE", name="Germany")
    res = api(staff_user).post(
        "/api/v1/partners/", {"legal_name": "New Co", "vendor_partner_id": "N1", "territories": ["de"]}
    )
    assert res.status_code == 201, res.json()
    assert res.json()["territories"] == ["DE"]


@pytest.mark.django_db
def test_bad_partner_input_gives_field_messages_and_saves_nothing(api, staff_user):
    res = api(staff_user).post(
        "/api/v1/partners/", {"legal_name": "X", "vendor_partner_id": "N1", "territories": ["ZZ"], "colour": "red"}
    )
    assert res.status_code == 400
    assert res.json() == {"colour": ["Unknown field."]}
    res = api(staff_user).post(
        "/api/v1/partners/", {"legal_name": "X", "vendor_partner_id": "N1", "territories": ["ZZ"]}
    )
    assert res.status_code == 400 and "Unknown country or group: ZZ" in str(res.json()["territories"])
    res = api(staff_user).post(
        "/api/v1/partners/", {"legal_name": "X", "vendor_partner_id": "N1", "is_registered": "maybe"}
    )
    assert res.status_code == 400 and "is_registered" in res.json()


@pytest.mark.django_db
def test_partner_admin_cannot_create_or_edit_partners(api, admin_a, partner_a):
    assert api(admin_a).post("/api/v1/partners/", {"legal_name": "X", "vendor_partner_id": "Q"}).status_code == 403
    assert api(admin_a).patch(f"/api/v1/partners/{partner_a.pk}/", {"legal_name": "Y"}).status_code == 403


@pytest.mark.django_db
def test_partner_admin_adds_individual_to_own_partner(api, admin_a, partner_a):
    res = api(admin_a).post(
        "/api/v1/individuals/",
        {"first_name": "Zoe", "last_name": "Ng", "email": "zoe@example.com", "testing_number": "Z9"},
    )
    assert res.status_code == 201, res.json()
    assert res.json()["associations"][0]["partner"] == partner_a.pk


@pytest.mark.django_db
def test_duplicate_testing_number_is_400_and_nothing_saved(api, admin_a, partner_a):
    IndividualFactory(testing_number="DUP")
    res = api(admin_a).post(
        "/api/v1/individuals/",
        {"first_name": "Zoe", "last_name": "Ng", "email": "zoe@example.com", "testing_number": "DUP"},
    )
    assert res.status_code == 400
    assert res.json()["testing_number"] == ["An individual with this testing number already exists."]
    assert Individual.objects.count() == 1


@pytest.mark.django_db
def test_partner_admin_cannot_add_individual_to_another_partner(api, admin_a, partner_b):
    res = api(admin_a).post(
        "/api/v1/individuals/",
        {
            "first_name": "Zoe",
            "last_name": "Ng",
            "email": "z@example.com",
            "testing_number": "Z1",
            "partner": partner_b.pk,
        },
    )
    assert res.status_code == 404
    assert not Individual.objects.exists()


@pytest.mark.django_db
def test_member_sees_only_own_individual(api, member_a, individual_a, partner_a):
    IndividualFactory.create()  # someone else
    from tests.factories import AssociationFactory

    AssociationFactory(partner=partner_a)  # a colleague
    res = api(member_a).get("/api/v1/individuals/").json()
    assert [i["id"] for i in res["results"]] == [individual_a.pk]


@pytest.mark.django_db
def test_individual_filters_and_pagination(api, staff_user, partner_a, partner_b):
    from tests.factories import AssociationFactory

    for _ in range(3):
        AssociationFactory(partner=partner_a)
    AssociationFactory(partner=partner_b)
    res = api(staff_user).get(f"/api/v1/individuals/?partner={partner_a.pk}").json()
    assert res["count"] == 3 and "next" in res


@pytest.mark.django_db
def test_timeline_lists_partner_events(api, admin_a, partner_a):
    from core.events import event_record

    event_record(kind="partner.updated", summary="Hello timeline", dedupe_key="t1", partner=partner_a)
    res = api(admin_a).get(f"/api/v1/partners/{partner_a.pk}/timeline/").json()
    assert res["results"][0]["summary"] == "Hello timeline"


@pytest.mark.django_db
def test_schema_and_docs_are_served_without_a_cdn(client, staff_user):
    client.force_login(staff_user)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/partners/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in docs
    assert all_local(docs)
