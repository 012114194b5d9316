"""/healthz: anonymous, read-only, 200 when the database and the broker answer, 503 naming what failed."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthy_answers_200_to_anonymous(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0", CELERY_BROKER_TRANSPORT_OPTIONS={})
def test_broker_down_answers_503_naming_the_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error"}


def test_post_is_not_allowed(client):
    assert client.post("/healthz").status_code == 405


def test_exempt_from_the_ssl_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    login = client.get("/accounts/login/")
    assert login.status_code == 301 and login["Location"].startswith("https://")


def test_not_locked_out_by_axes(client, settings):
    """Failed logins from the probe's address never stop it answering."""
    settings.AXES_FAILURE_LIMIT = 1
    for _ in range(3):
        client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    assert client.get("/healthz").status_code == 200
