"""API throttling: the token login per address, then every call per user (429 with Retry-After)."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rates(monkeypatch):
    # DRF reads the rates into the throttle class when it is first imported, so set them there.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"login": "3/min", "user": "5/min", "anon": "100/min"})
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
