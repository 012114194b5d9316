"""The webhooks API: who may configure which endpoints, the secret shown once, deliveries with their attempts."""

import pytest

from core.events import event_record
from webhooks import tasks
from webhooks.models import Endpoint

from .factories import Receiver, endpoint_for

pytestmark = pytest.mark.django_db

HOOK = "http://127.0.0.1:9/hook"


def test_a_partner_admin_adds_an_endpoint_for_her_partner_and_sees_the_secret_once(api, admin_a, partner_a):
    res = api(admin_a).post("/api/v1/webhooks/", {"url": HOOK, "kinds": ["renewal.opened"]}, format="json")
    assert res.status_code == 201, res.json()
    body = res.json()
    assert body["secret"].startswith("whsec_") and body["partner"] == partner_a.pk
    endpoint = Endpoint.objects.get(pk=body["id"])
    assert body["secret"] not in endpoint.secret_encrypted  # stored encrypted
    shown = api(admin_a).get(f"/api/v1/webhooks/{endpoint.pk}/").json()
    assert "secret" not in shown and shown["kinds"] == ["renewal.opened"]


def test_a_partner_admin_never_configures_another_partners_events(api, admin_a, partner_b):
    theirs, _ = endpoint_for(partner_b)
    program, _ = endpoint_for(None)
    client = api(admin_a)
    assert client.post("/api/v1/webhooks/", {"url": HOOK, "partner": partner_b.pk}, format="json").status_code == 404
    listed = [e["id"] for e in client.get("/api/v1/webhooks/").json()["results"]]
    assert theirs.pk not in listed and program.pk not in listed
    for path in (f"/api/v1/webhooks/{theirs.pk}/", f"/api/v1/webhooks/{program.pk}/"):
        assert client.get(path).status_code == 404
        assert client.patch(path, {"enabled": False}, format="json").status_code == 404
        assert client.post(f"{path}rotate-secret/").status_code == 404
        assert client.post(f"{path}test/").status_code == 404
    assert Endpoint.objects.filter(partner=partner_b).count() == 1


def test_members_and_account_managers_manage_no_webhooks(api, member_a, manager):
    for user in (member_a, manager):
        assert api(user).post("/api/v1/webhooks/", {"url": HOOK}, format="json").status_code == 403
        assert api(user).get("/api/v1/webhooks/").json()["results"] == []


def test_staff_add_a_program_wide_endpoint(api, staff_user):
    res = api(staff_user).post("/api/v1/webhooks/", {"url": HOOK, "description": "CRM"}, format="json")
    assert res.status_code == 201 and res.json()["partner"] is None


def test_unknown_kinds_and_inside_urls_are_400(api, admin_a, settings):
    client = api(admin_a)
    res = client.post("/api/v1/webhooks/", {"url": HOOK, "kinds": ["partner.exploded"]}, format="json")
    assert res.status_code == 400 and "kinds" in res.json()
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    res = client.post("/api/v1/webhooks/", {"url": "http://10.1.1.1/x"}, format="json")
    assert res.status_code == 400 and "private" in str(res.json()["url"])


def test_rotate_disable_and_deliveries_with_attempts(api, admin_a, partner_a, django_capture_on_commit_callbacks):
    client = api(admin_a)
    with Receiver(statuses=[500]) as hook:
        endpoint, secret = endpoint_for(partner_a, url=hook.url, actor=admin_a)
        rotated = client.post(f"/api/v1/webhooks/{endpoint.pk}/rotate-secret/").json()
        assert rotated["secret"] != secret and rotated["previous_secret_expires_at"]
        with django_capture_on_commit_callbacks(execute=True):
            sent = client.post(f"/api/v1/webhooks/{endpoint.pk}/test/")
        assert sent.status_code == 202
        deliveries = client.get(f"/api/v1/webhook-deliveries/?endpoint={endpoint.pk}").json()["results"]
        test = next(d for d in deliveries if d["kind"] == "webhook.test")
        assert test["attempts_made"][0]["status_code"] == 500 and test["status"] == "pending"
        with django_capture_on_commit_callbacks(execute=True):
            again = client.post(f"/api/v1/webhook-deliveries/{test['id']}/resend/")
        assert again.status_code == 202 and again.json()["message_id"] == test["message_id"]
        assert len(again.json()["attempts_made"]) == 1  # as of the answer; the attempt runs after commit
        assert client.patch(f"/api/v1/webhooks/{endpoint.pk}/", {"enabled": False}, format="json").status_code == 200
        event_record(kind="partner.updated", summary="changed", partner=partner_a)
        tasks.sweep()
        assert client.post(f"/api/v1/webhooks/{endpoint.pk}/test/").status_code == 400  # disabled: enable first
    assert [h["webhook-id"] for h, _, _ in hook.requests] == [test["message_id"]] * 2
