"""The webhook pages: list, add (the secret shown once), the endpoint's page with its attempts, and its buttons."""

import pytest

from core.events import event_record
from webhooks import tasks
from webhooks.models import Endpoint

from .factories import Receiver, endpoint_for

pytestmark = pytest.mark.django_db


def test_a_partner_admin_adds_an_endpoint_and_sees_its_attempts(client, admin_a, partner_a):
    client.force_login(admin_a)
    assert client.get("/webhooks/").status_code == 200
    with Receiver(statuses=[502], body=b"upstream down") as hook:
        res = client.post("/webhooks/new/", {"url": hook.url, "description": "Our CRM", "kinds": ["partner.updated"]})
        assert res.status_code == 200 and b"whsec_" in res.content
        endpoint = Endpoint.objects.get(description="Our CRM")
        assert endpoint.partner == partner_a and endpoint.owner == admin_a
        event_record(kind="partner.updated", summary="changed", partner=partner_a)
        tasks.sweep()
    page = client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert "502" in page and "upstream down" in page and "Send again" in page and "Send a test event" in page
    assert b"whsec_" not in client.get(f"/webhooks/{endpoint.pk}/").content


def test_disable_rotate_and_send_again_from_the_page(client, admin_a, partner_a):
    client.force_login(admin_a)
    endpoint, _ = endpoint_for(partner_a, actor=admin_a)
    res = client.post(f"/webhooks/{endpoint.pk}/rotate-secret/")
    assert b"whsec_" in res.content and b"keeps signing" in res.content
    client.post(f"/webhooks/{endpoint.pk}/enabled/")
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    res = client.post(f"/webhooks/{endpoint.pk}/test/", follow=True)
    assert b"disabled: enable it first" in res.content
    res = client.post(f"/webhooks/{endpoint.pk}/edit/", {"url": endpoint.url, "description": "renamed"})
    assert res.status_code == 302 and Endpoint.objects.get(pk=endpoint.pk).description == "renamed"


def test_another_partners_endpoint_is_a_404_and_members_are_refused(client, admin_a, member_a, partner_b):
    theirs, _ = endpoint_for(partner_b)
    client.force_login(admin_a)
    for path in ("/", "/edit/", "/enabled/", "/rotate-secret/", "/test/"):
        assert client.post(f"/webhooks/{theirs.pk}{path}").status_code == 404
    client.force_login(member_a)
    assert client.get("/webhooks/").status_code == 403
    assert client.get("/webhooks/new/").status_code == 403


def test_staff_choose_the_partner_or_the_whole_program(client, staff_user, partner_b):
    client.force_login(staff_user)
    client.post("/webhooks/new/", {"url": "http://127.0.0.1:9/a", "partner": partner_b.pk})
    client.post("/webhooks/new/", {"url": "http://127.0.0.1:9/b", "partner": ""})
    assert {(e.url[-1], e.partner_id) for e in Endpoint.objects.all()} == {("a", partner_b.pk), ("b", None)}
