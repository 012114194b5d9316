"""Endpoint URLs that reach inside the network are refused when saved and again when delivered (DNS rebinding)."""

import socket

import pytest
from django.core.exceptions import ValidationError

from core.events import event_record
from partners import access
from webhooks import services, tasks
from webhooks.models import Attempt, Delivery

from .factories import Receiver, endpoint_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_loopback(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://127.0.0.1:8000/hook", "loopback"),
        ("http://localhost/hook", "loopback"),  # a host name that resolves to loopback
        ("http://[::1]/hook", "loopback"),
        ("http://10.0.0.5/hook", "private"),
        ("https://192.168.0.10/hook", "private"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://0.0.0.0:8000/", "private"),
        ("ftp://example.com/hook", "http:// or https://"),
        ("http://no-such-host.invalid/hook", "cannot be resolved"),
    ],
)
def test_an_inside_url_is_refused_when_saved(partner_a, no_loopback, url, says):
    with pytest.raises(ValidationError) as refused:
        endpoint_for(partner_a, url=url)
    assert says in str(refused.value.message_dict["url"])


def test_loopback_is_allowed_by_the_setting_and_private_addresses_never(partner_a, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    assert endpoint_for(partner_a, url="http://localhost:9/hook")[0].pk
    with pytest.raises(ValidationError):
        endpoint_for(partner_a, url="http://10.0.0.5/hook")


def test_a_url_changed_to_an_inside_one_is_refused(partner_a, no_loopback, monkeypatch):
    endpoint = _public_endpoint(partner_a, monkeypatch)
    with pytest.raises(ValidationError):
        services.endpoint_update(endpoint=endpoint, url="http://169.254.169.254/", actor=access.SYSTEM)


def _public_endpoint(partner, monkeypatch):
    """An endpoint saved while its host resolved to a public address (DNS answers faked)."""
    real = socket.getaddrinfo
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, *a, **k: (
            [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", a[0]))]
            if host == "hooks.example.com"
            else real(host, *a, **k)
        ),
    )
    endpoint, _ = endpoint_for(partner, url=f"http://hooks.example.com:{9}/hook", kinds=["partner.updated"])
    return endpoint


def test_dns_rebinding_to_loopback_is_refused_at_delivery(partner_a, no_loopback, monkeypatch):
    """Saved while the host resolved to a public address; by delivery time it resolves to 127.0.0.1, where a
    receiver listens: nothing reaches it, and the attempt says why."""
    with Receiver() as inside:
        endpoint = _public_endpoint(partner_a, monkeypatch)
        port = inside.server.server_address[1]
        services.endpoint_update(endpoint=endpoint, url=f"http://hooks.example.com:{port}/hook", actor=access.SYSTEM)
        monkeypatch.setattr(
            socket,
            "getaddrinfo",
            lambda host, *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))],
        )
        event_record(kind="partner.updated", summary="changed", partner=partner_a)
        tasks.sweep()
    assert inside.requests == []
    attempt = Attempt.objects.get(delivery__endpoint=endpoint)
    assert attempt.status_code is None and "loopback" in attempt.error
    assert Delivery.objects.get(endpoint=endpoint).status == Delivery.PENDING  # retried later, checked again


def test_the_connection_goes_to_the_address_checked(partner_a, monkeypatch):
    """Resolved once to 127.0.0.1 (allowed here) for the receiver's port: the request reaches it with the host name
    in the Host header, without a second lookup that could answer differently."""
    with Receiver() as hook:
        port = hook.server.server_address[1]
        answers = iter([("127.0.0.1", port), ("127.0.0.1", port), ("10.9.9.9", port)])  # a third would be inside
        real = socket.getaddrinfo
        monkeypatch.setattr(
            socket,
            "getaddrinfo",
            lambda host, *a, **k: (
                [(socket.AF_INET, socket.SOCK_STREAM, 6, "", next(answers))]
                if host == "crm.example.com"
                else real(host, *a, **k)
            ),
        )
        endpoint_for(partner_a, url=f"http://crm.example.com:{port}/hook", kinds=["partner.updated"])
        event_record(kind="partner.updated", summary="changed", partner=partner_a)
        tasks.sweep()
    assert [h["Host"] for h, _, _ in hook.requests] == [f"crm.example.com:{port}"]
    assert next(answers) == ("10.9.9.9", port)  # looked up once when saved, once when delivered
