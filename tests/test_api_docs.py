"""The API docs (Swagger UI and Redoc) load nothing from the internet: every script, stylesheet, icon and font
they reference is the portal's own static file, and each of them is served. A browser walk of both pages, with
every request they make, is in tests/e2e/test_api_docs.py."""

import pytest

from tests.page_refs import references

pytestmark = pytest.mark.django_db

PAGES = ["/api/docs/", "/api/redoc/"]


@pytest.mark.parametrize("path", PAGES)
def test_the_docs_pages_reference_only_the_portals_own_files_and_each_answers(client, staff_user, path):
    client.force_login(staff_user)
    html = client.get(path).content.decode()
    urls = references(html)
    assert urls, "the page loads its bundle"
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), f"{path} loads {url} from elsewhere"
        assert client.get(url).status_code == 200, url
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html and "cdn." not in html


def test_redoc_and_swagger_ui_come_from_the_sidecar(client, staff_user):
    client.force_login(staff_user)
    redoc = references(client.get("/api/redoc/").content.decode())
    assert redoc[-2:] == [
        "/static/js/redoc-local.js",
        "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js",
    ]
    docs = references(client.get("/api/docs/").content.decode())
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs


def test_swagger_ui_asks_no_online_validator(client, staff_user):
    """Swagger UI's default shows a badge image from validator.swagger.io; the start-up script turns it off."""
    client.force_login(staff_user)
    script = client.get("/api/docs/?script=").content.decode()
    assert '"validatorUrl": null' in script
