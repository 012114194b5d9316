"""In a real browser: Swagger UI and Redoc render the API from the portal's own files, with no request to another
host (fonts, scripts, the online validator's badge) and no console error (a CSP refusal logs one)."""

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("path", "rendered", "shot"),
    [("/api/docs/", ".opblock-tag", "api-docs-swagger.png"), ("/api/redoc/", "h1", "api-docs-redoc.png")],
)
def test_the_api_docs_load_nothing_from_elsewhere(page, live_server, settings, path, rendered, shot):
    settings.API_DOCS_PUBLIC = True
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda response: response.status >= 400 and errors.append(f"{response.status} {response.url}"))
    page.goto(f"{live_server.url}{path}")
    page.wait_for_selector(rendered)
    page.wait_for_load_state("networkidle")
    assert "Partner Compliance Portal API" in page.inner_text("body")
    elsewhere = [u for u in requests if not u.startswith((live_server.url, "data:", "blob:"))]
    assert elsewhere == [] and errors == []
    assert any("/static/drf_spectacular_sidecar/" in u for u in requests)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / shot))  # the first screen: the whole of Redoc's page is too long to shoot
