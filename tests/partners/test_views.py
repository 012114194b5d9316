import pytest

from partners.models import Individual
from tests.factories import IndividualFactory, PartnerFactory


@pytest.mark.django_db
def test_partner_list_searches_and_pages(client, staff_user):
    for n in range(30):
        PartnerFactory(legal_name=f"Zeta {n:02d}")
    PartnerFactory(legal_name="Omega Unique")
    client.force_login(staff_user)
    first = client.get("/partners/").content.decode()
    assert "Page 1 of 2 (31 in all)" in first
    found = client.get("/partners/?q=omega").content.decode()
    assert "Omega Unique" in found and "Zeta 01" not in found
    assert "No partners match" in client.get("/partners/?q=nothing-like-this").content.decode()


@pytest.mark.django_db
def test_partner_list_is_constant_in_queries(client, staff_user, django_assert_max_num_queries):
    for _ in range(25):
        PartnerFactory()
    client.force_login(staff_user)
    with django_assert_max_num_queries(12):
        client.get("/partners/")


@pytest.mark.django_db
def test_partner_admin_home_is_her_partner_and_she_cannot_open_the_list_of_others(
    client, admin_a, partner_a, partner_b
):
    client.force_login(admin_a)
    home = client.get("/").content.decode()
    assert "<h1>Alpha Networks</h1>" in home and f'href="/partners/{partner_a.pk}/"' in home
    assert "Bravo" not in client.get("/partners/").content.decode()
    assert client.get(f"/partners/{partner_b.pk}/").status_code == 404


@pytest.mark.django_db
def test_add_individual_form_shows_duplicate_error_and_saves_nothing(client, admin_a, partner_a):
    IndividualFactory(testing_number="SAME1")
    client.force_login(admin_a)
    res = client.post(
        f"/partners/{partner_a.pk}/individuals/new/",
        {"first_name": "Kim", "last_name": "Park", "email": "kim@example.com", "testing_number": "SAME1"},
    )
    assert res.status_code == 200
    assert "An individual with this testing number already exists." in res.content.decode()
    assert Individual.objects.count() == 1


@pytest.mark.django_db
def test_add_individual_form_adds_and_shows_on_the_timeline(client, admin_a, partner_a):
    client.force_login(admin_a)
    res = client.post(
        f"/partners/{partner_a.pk}/individuals/new/",
        {"first_name": "Kim", "last_name": "Park", "email": "kim@example.com", "testing_number": "NEW1"},
        follow=True,
    )
    page = res.content.decode()
    assert "Kim Park added." in page and "Kim Park joined Alpha Networks" in page


@pytest.mark.django_db
def test_member_cannot_add_individuals(client, member_a, partner_a):
    client.force_login(member_a)
    assert client.get(f"/partners/{partner_a.pk}/individuals/new/").status_code == 403


@pytest.mark.django_db
def test_forms_require_csrf(admin_a, partner_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_a)
    res = client.post(f"/partners/{partner_a.pk}/individuals/new/", {"first_name": "X"})
    assert res.status_code == 403
