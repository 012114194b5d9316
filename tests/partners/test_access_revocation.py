"""A password change or reset, a deactivation, or a role taken away ends the user's API tokens and other sessions."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from partners.models import Profile

PASSWORD = "pw-123-secret"
NEW = "a-New-pw-9183-long"


def _token(user):
    _, key = AuthToken.objects.create(user)
    return key


def _token_works(key):
    return APIClient().get("/api/v1/partners/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def _session(user):
    client = Client()
    res = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert res.status_code == 302, res.content
    return client


def _signed_in(client):
    return client.get("/partners/").status_code != 302  # pages send the signed-out to the login page


@pytest.mark.django_db
def test_changing_the_password_revokes_tokens_and_other_sessions_but_keeps_this_one(admin_a):
    key, here, elsewhere = _token(admin_a), _session(admin_a), _session(admin_a)
    assert _token_works(key) and _signed_in(elsewhere)
    res = here.post(
        "/accounts/password_change/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert res.status_code == 302, res.content
    assert not _token_works(key) and not AuthToken.objects.filter(user=admin_a).exists()
    assert not _signed_in(elsewhere)  # Django's session auth hash
    assert _signed_in(here)


@pytest.mark.django_db
def test_resetting_the_password_revokes_tokens_and_sessions(admin_a):
    key, session = _token(admin_a), _session(admin_a)
    Client().post("/accounts/password_reset/", {"email": admin_a.email})
    link = re.search(r"/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    browser = Client()
    form = browser.get(link, follow=True)
    res = browser.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert res.status_code == 302 and res["Location"].endswith("/reset/done/"), res.content
    assert not _token_works(key)
    assert not _signed_in(session)


@pytest.mark.django_db
def test_changepassword_command_revokes_tokens(admin_a, monkeypatch):
    key = _token(admin_a)
    monkeypatch.setattr("getpass.getpass", lambda *a, **k: NEW)
    call_command("changepassword", admin_a.username, stdout=None)
    assert not _token_works(key)


@pytest.mark.django_db
def test_deactivating_a_user_revokes_tokens_and_sessions(admin_a):
    key, session = _token(admin_a), _session(admin_a)
    admin_a.is_active = False
    admin_a.save()
    assert not AuthToken.objects.filter(user=admin_a).exists() and not _token_works(key)
    assert not _signed_in(session)


@pytest.mark.django_db
def test_taking_staff_rights_away_revokes_tokens_and_sessions(staff_user):
    key, session = _token(staff_user), _session(staff_user)
    staff_user.is_staff = False
    staff_user.save()
    assert not AuthToken.objects.filter(user=staff_user).exists() and not _token_works(key)
    assert not _signed_in(session)


@pytest.mark.django_db
@pytest.mark.parametrize("change", [{"role": "partner_member"}, {"partner": "b"}])
def test_changing_the_role_or_partner_revokes_tokens_and_sessions(admin_a, partner_b, change):
    key, session = _token(admin_a), _session(admin_a)
    profile = admin_a.profile
    for field, value in change.items():
        setattr(profile, field, partner_b if value == "b" else value)
    profile.save()
    assert not AuthToken.objects.filter(user=admin_a).exists() and not _token_works(key)
    assert not Client().session.exists(session.session.session_key)


@pytest.mark.django_db
def test_an_unrelated_save_keeps_tokens_and_sessions(admin_a):
    key, session = _token(admin_a), _session(admin_a)
    admin_a.first_name = "Renamed"
    admin_a.save()
    admin_a.profile.vendor_login_id = "cco-1"
    admin_a.profile.save()
    assert _token_works(key) and _signed_in(session)


@pytest.mark.django_db
def test_deleting_the_profile_revokes_tokens_and_sessions(admin_a):
    key, session = _token(admin_a), _session(admin_a)
    Profile.objects.filter(user=admin_a).delete()
    assert not AuthToken.objects.filter(user=admin_a).exists() and not _token_works(key)
    assert not Client().session.exists(session.session.session_key)


@pytest.mark.django_db
def test_a_token_of_a_user_without_a_role_is_refused(db):
    roleless = User.objects.create_user("nobody", password=PASSWORD)
    res = APIClient().get("/api/v1/partners/", HTTP_AUTHORIZATION=f"Token {_token(roleless)}")
    assert res.status_code == 401
    login = APIClient().post("/api/v1/auth/token/", {"username": "nobody", "password": PASSWORD}, format="json")
    assert login.status_code == 400 and AuthToken.objects.filter(user=roleless).count() == 1
