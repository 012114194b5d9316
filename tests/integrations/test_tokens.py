"""Integration tokens: who creates them, what they see and may do, and when they stop working."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from knox.models import AuthToken
from rest_framework.test import APIClient

from core import clock
from integrations import services
from integrations.models import Integration
from partners.models import Profile
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db
PERSON = {"first_name": "Ida", "last_name": "Lovel", "email": "ida@example.com", "testing_number": "T-991"}


def _partner_ids(client):
    return sorted(p["id"] for p in client.get("/api/v1/partners/").json()["results"])


def test_staff_create_a_token_through_the_api_shown_once_and_stored_hashed(api, staff_user, partner_a):
    answer = api(staff_user).post("/api/v1/integrations/", {"name": "Salesforce", "partners": [partner_a.pk]})
    assert answer.status_code == 201
    token = answer.json()["token"]
    assert token.startswith("pci_") and len(token) > 40
    stored = Integration.objects.get()
    assert token not in {stored.token_hash, stored.token_prefix} and stored.token_hash != token
    listed = api(staff_user).get("/api/v1/integrations/").json()["results"]
    assert [i["name"] for i in listed] == ["Salesforce"] and "token" not in listed[0]


def test_a_partner_admins_integration_sees_her_partner_only(integration, admin_a, partner_a, partner_b):
    obj, client = integration(admin_a)
    assert obj.owner_partner == partner_a
    assert _partner_ids(client) == [partner_a.pk]
    assert client.get(f"/api/v1/partners/{partner_b.pk}/").status_code == 404
    assert client.get("/api/v1/loyalty-accounts/").json()["results"] == []


def test_a_partner_admin_cannot_name_another_partner_or_the_program(admin_a, partner_b):
    for fields in ({"partners": [partner_b]}, {"all_partners": True}):
        with pytest.raises(ValidationError):
            services.integration_create(actor=admin_a, name="CRM", **fields)


def test_staff_choose_partners_or_the_whole_program(integration, staff_user, partner_a, partner_b):
    _, chosen = integration(staff_user, partners=[partner_b])
    _, program = integration(staff_user, name="Warehouse")
    assert _partner_ids(chosen) == [partner_b.pk]
    assert _partner_ids(program) == sorted([partner_a.pk, partner_b.pk])


def test_read_only_refuses_changes_read_write_acts_within_its_partners(integration, admin_a, partner_a, partner_b):
    _, reader = integration(admin_a)
    answer = reader.post("/api/v1/individuals/", {**PERSON, "partner": partner_a.pk})
    assert answer.status_code == 403 and "read-only" in answer.json()["detail"]
    _, writer = integration(admin_a, name="Writer", scope=Integration.READ_WRITE)
    assert writer.post("/api/v1/individuals/", {**PERSON, "partner": partner_a.pk}).status_code == 201
    other = {**PERSON, "testing_number": "T-992", "partner": partner_b.pk}
    assert writer.post("/api/v1/individuals/", other).status_code == 404


def test_revoked_expired_or_orphaned_tokens_stop_working(integration, admin_a, staff_user):
    revoked, client1 = integration(admin_a)
    services.integration_revoke(integration=revoked, actor=admin_a)
    assert client1.get("/api/v1/partners/").status_code == 401
    _, client2 = integration(admin_a, name="Short", expires_at=clock.now() + timedelta(seconds=1))
    Integration.objects.filter(name="Short").update(expires_at=clock.now() - timedelta(seconds=1))
    assert client2.get("/api/v1/partners/").status_code == 401
    _, client3 = integration(admin_a, name="Orphan")
    assert client3.get("/api/v1/partners/").status_code == 200
    Profile.objects.filter(user=admin_a).update(role="partner_member")  # the owner is no longer an admin
    assert client3.get("/api/v1/partners/").status_code == 401
    fake = APIClient()
    fake.credentials(HTTP_AUTHORIZATION="Token pci_not-a-token")
    assert fake.get("/api/v1/partners/").status_code == 401


def test_last_used_is_recorded(integration, admin_a):
    obj, client = integration(admin_a)
    assert obj.last_used_at is None
    client.get("/api/v1/partners/")
    obj.refresh_from_db()
    assert obj.last_used_at is not None


def test_who_may_manage_integrations(api, integration, admin_a, admin_b, member_a, manager, staff_user):
    for user in (member_a, manager):
        assert api(user).post("/api/v1/integrations/", {"name": "x"}).status_code == 403
    _, token_client = integration(staff_user, scope=Integration.READ_WRITE)
    assert token_client.post("/api/v1/integrations/", {"name": "x", "all_partners": True}).status_code == 403
    mine, _ = integration(admin_a)
    staffs = Integration.objects.exclude(pk=mine.pk).get()
    assert [i["id"] for i in api(admin_a).get("/api/v1/integrations/").json()["results"]] == [mine.pk]
    assert api(admin_b).post(f"/api/v1/integrations/{mine.pk}/revoke/").status_code == 404
    assert api(admin_a).post(f"/api/v1/integrations/{staffs.pk}/revoke/").status_code == 404
    assert api(admin_a).post(f"/api/v1/integrations/{mine.pk}/revoke/").json()["active"] is False
    with pytest.raises(PermissionDenied):
        services.integration_revoke(integration=mine, actor=admin_b)


def test_person_tokens_keep_working(admin_a, partner_a):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(admin_a)[1]}")
    assert _partner_ids(client) == [partner_a.pk]


def test_the_page_lists_creates_showing_the_token_once_and_revokes(client, admin_a, partner_a):
    PartnerFactory()
    client.force_login(admin_a)
    page = client.post("/integrations/", {"name": "HubSpot", "scope": "read"})
    assert page.status_code == 200
    token = page.context["token"]
    assert token.startswith("pci_") and token in page.content.decode()
    again = client.get("/integrations/").content.decode()
    assert "HubSpot" in again and token not in again
    obj = Integration.objects.get()
    assert obj.owner_partner == partner_a
    assert client.post(f"/integrations/{obj.pk}/revoke/").status_code == 302
    obj.refresh_from_db()
    assert obj.revoked_at is not None


def test_the_page_refuses_members(client, member_a):
    client.force_login(member_a)
    assert client.get("/integrations/").status_code == 403


def test_a_staff_integration_needs_partners_or_the_program(staff_user):
    with pytest.raises(ValidationError):
        services.integration_create(actor=staff_user, name="CRM")
    with pytest.raises(ValidationError):
        services.integration_create(actor=staff_user, name="CRM", all_partners=True, expires_at=clock.now())
