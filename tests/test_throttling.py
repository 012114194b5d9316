"""API throttling: the token login per address, then every call per user or per integration token, and issuing
or revoking tokens per address as well (429 with Retry-After)."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from integrations import services
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rates(monkeypatch):
    # DRF reads the rates into the throttle class when it is first imported, so set them there.
    rates = {"login": "3/min", "user": "5/min", "integration": "4/min", "token": "2/min", "anon": "100/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    yield
    cache.clear()


def test_token_login_is_throttled_per_address():
    client = APIClient()
    answers = [
        client.post("/api/v1/auth/token/", {"username": "nobody", "password": "x"}).status_code for _ in range(3)
    ]
    assert 429 not in answers
    fourth = client.post("/api/v1/auth/token/", {"username": "nobody", "password": "x"})
    assert fourth.status_code == 429 and "Retry-After" in fourth


def test_a_user_is_throttled_after_the_rate(partner_a):
    user = make_user("partner_admin", partner=partner_a, username="busy")
    client = APIClient()
    client.force_authenticate(user)
    answers = [client.get("/api/v1/partners/").status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]


def test_an_overlong_username_is_a_400_not_a_lockout_record():
    """django-axes stores the attempted username in 255 characters: PostgreSQL refused a longer one (a 500)."""
    answer = APIClient().post("/api/v1/auth/token/", {"username": "u" * 300, "password": "x"})
    assert answer.status_code == 400 and "username" in answer.json()


def _token_client(owner, name="CRM"):
    _, token = services.integration_create(actor=owner, name=name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_an_integration_token_is_throttled_on_its_own(partner_a):
    admin = make_user("partner_admin", partner=partner_a, username="crm-owner")
    crm, other = _token_client(admin), _token_client(admin, "Other")
    answers = [crm.get("/api/v1/events/") for _ in range(5)]
    assert [a.status_code for a in answers] == [200] * 4 + [429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert other.get("/api/v1/events/").status_code == 200  # another token has its own count
    person = APIClient()
    person.force_authenticate(admin)
    assert person.get("/api/v1/partners/").status_code == 200  # and so does its owner


def test_issuing_tokens_is_throttled_per_address_too():
    client = APIClient()
    client.force_authenticate(make_user("staff", username="minter"))
    answers = [client.post("/api/v1/integrations/", {"name": f"n{i}", "all_partners": True}) for i in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429] and "Retry-After" in answers[-1]
