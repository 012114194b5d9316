"""The 403, 404 and 500 pages are the portal's own, inside the layout, with a way home and back; the favicon."""

import pytest
from django.test import Client, RequestFactory

from config.errors import server_error


def test_404_is_a_page_of_the_portal_with_its_navigation(client, admin_a, partner_a):
    client.force_login(admin_a)
    res = client.get("/no-such-page/", HTTP_REFERER=f"http://testserver/partners/{partner_a.pk}/")
    body = res.content.decode()
    assert res.status_code == 404
    assert "Page not found" in body and 'aria-label="Main"' in body  # the header navigation comes with it
    assert f'href="/partners/{partner_a.pk}/"' in body  # "My partner" in the nav, and back
    assert "Back to the previous page" in body and "Go to your home page" in body
    assert 'rel="icon"' in body


def test_another_partners_record_is_the_same_404_page(client, admin_a, partner_b):
    client.force_login(admin_a)
    res = client.get(f"/partners/{partner_b.pk}/")
    assert res.status_code == 404 and "Page not found" in res.content.decode()


def test_back_never_leads_off_the_portal(client, admin_a):
    client.force_login(admin_a)
    res = client.get("/no-such-page/", HTTP_REFERER="https://evil.example.com/phish")
    assert "evil.example.com" not in res.content.decode() and "Back to the previous page" not in res.content.decode()


def test_an_unknown_api_path_is_still_json(client, admin_a):
    client.force_login(admin_a)
    res = client.get("/api/v1/nothing-here/")
    assert res.status_code == 404 and res.json() == {"detail": "Not found."}


def test_403_says_why_inside_the_layout(client, admin_a):
    client.force_login(admin_a)
    res = client.get("/learning/ce/review/")
    body = res.content.decode()
    assert res.status_code == 403
    assert "You cannot do this" in body and "Only program staff review CE claims." in body
    assert 'aria-label="Main"' in body and "Go to your home page" in body


@pytest.mark.urls("tests.error_urls")
def test_500_is_a_page_with_a_way_home(db, admin_a):
    client = Client(raise_request_exception=False)
    client.force_login(admin_a)
    res = client.get("/boom/")
    body = res.content.decode()
    assert res.status_code == 500
    assert "Something went wrong" in body and 'href="/"' in body and "portal.css" in body
    assert "a bug" not in body and "Traceback" not in body


def test_the_500_page_needs_no_database(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        res = server_error(RequestFactory().get("/anything/"))
    assert res.status_code == 500 and "Something went wrong" in res.content.decode()


def test_the_500_page_answers_even_when_its_template_fails(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("storage down")

    monkeypatch.setattr("config.errors.render_to_string", broken)
    res = server_error(RequestFactory().get("/anything/"))
    assert res.status_code == 500 and "Something went wrong" in res.content.decode()


def test_favicon(client):
    res = client.get("/favicon.ico", follow=True)
    assert res.status_code == 200 and res.redirect_chain
    assert b"<svg" in b"".join(res.streaming_content if res.streaming else [res.content])


def test_every_page_names_the_icon(client, admin_a):
    client.force_login(admin_a)
    body = client.get("/", follow=True).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg"' in body
