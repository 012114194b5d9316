import pytest
from django.core import mail

from tests.factories import make_user


@pytest.mark.django_db
def test_pages_require_login(client):
    res = client.get("/partners/")
    assert res.status_code == 302 and res["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_login_with_wrong_password_says_so_and_does_not_log_in(client, admin_a):
    res = client.post("/accounts/login/", {"username": "admin-a", "password": "wrong"})
    assert res.status_code == 200
    assert "didn't match" in res.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_then_partner_admin_lands_on_her_partners_home(client, admin_a, partner_a):
    res = client.post("/accounts/login/", {"username": "admin-a", "password": "pw-123-secret"}, follow=True)
    assert res.redirect_chain[-1][0] == "/"
    assert "<h1>Alpha Networks</h1>" in res.content.decode()


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_out(client, admin_a):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "admin-a", "password": "wrong"})
    res = client.post("/accounts/login/", {"username": "admin-a", "password": "pw-123-secret"})
    assert res.status_code == 429 and res["Retry-After"] == "3600"
    assert "Too many failed logins" in res.content.decode() and "Reset your password" in res.content.decode()


@pytest.mark.django_db
def test_password_reset_sends_an_email_with_a_link(client, admin_a):
    res = client.post("/accounts/password_reset/", {"email": admin_a.email})
    assert res.status_code == 302
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body


@pytest.mark.django_db
def test_logout_requires_post_and_ends_the_session(client, admin_a):
    client.force_login(admin_a)
    client.post("/accounts/logout/")
    assert client.get("/partners/").status_code == 302


@pytest.mark.django_db
def test_api_token_from_username_and_password(client, admin_a, partner_a):
    res = client.post(
        "/api/v1/auth/token/", {"username": "admin-a", "password": "pw-123-secret"}, content_type="application/json"
    )
    assert res.status_code == 200, res.content
    token = res.json()["token"]
    listed = client.get("/api/v1/partners/", HTTP_AUTHORIZATION=f"Token {token}")
    assert listed.status_code == 200 and listed.json()["count"] == 1
    client.post("/api/v1/auth/logout/", HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/partners/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


@pytest.mark.django_db
def test_api_token_refused_for_wrong_password(client, admin_a):
    res = client.post(
        "/api/v1/auth/token/", {"username": "admin-a", "password": "nope"}, content_type="application/json"
    )
    assert res.status_code == 400  # as DRF's own obtain-token view answers
    assert res.json() == {"non_field_errors": ["Unable to log in with the provided credentials."]}


@pytest.mark.django_db
def test_api_token_for_a_locked_out_account_is_a_429_in_json_even_with_the_right_password(client, admin_a):
    def login(password):
        return client.post(
            "/api/v1/auth/token/", {"username": "admin-a", "password": password}, content_type="application/json"
        )

    assert [login("nope").status_code for _ in range(4)] == [400] * 4
    for answer in (login("nope"), login("pw-123-secret")):  # the fifth failure locks; then even the right one
        assert answer.status_code == 429 and answer["Content-Type"] == "application/json"
        assert "locked for an hour" in answer.json()["detail"] and int(answer["Retry-After"]) == 3600
    assert "token" not in login("pw-123-secret").json()


@pytest.mark.django_db
def test_tokens_are_stored_hashed(client, admin_a):
    from knox.models import AuthToken

    token = client.post(
        "/api/v1/auth/token/", {"username": "admin-a", "password": "pw-123-secret"}, content_type="application/json"
    ).json()["token"]
    stored = AuthToken.objects.get()
    assert token not in (stored.digest, stored.token_key) and stored.expiry is not None


def test_sessions_expire(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_AGE <= 12 * 3600


@pytest.mark.django_db
def test_user_without_role_sees_nothing(client):
    user = make_user.__globals__["UserFactory"](username="norole")
    client.force_login(user)
    assert client.get("/").status_code == 403
    assert client.get("/api/v1/partners/").json()["count"] == 0
