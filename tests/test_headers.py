"""Security headers under production settings (Content-Security-Policy, Permissions-Policy), templates free of
inline script, and the API docs public only where API_DOCS_PUBLIC says so."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.test_settings import PROD, manage

# Under production settings, in a process of its own: the login page and the health probe, as the TLS proxy
# sends them. The static files storage is swapped for the plain one only because no collectstatic ran here
# (the manifest storage itself is checked by `make prodcheck`).
PROBE = """
import json
from django.test import Client, override_settings
plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
out = {}
with override_settings(STORAGES=plain):
    for path in ("/accounts/login/", "/healthz"):
        res = Client(HTTP_X_FORWARDED_PROTO="https").get(path, HTTP_HOST="portal.example.com")
        out[path] = {"status": res.status_code, "headers": dict(res.headers)}
print("PROBE" + json.dumps(out))
"""


def test_production_responses_carry_csp_and_permissions_policy():
    result = manage("shell", "-v", "0", "-c", "from django.conf import settings\n" + PROBE, env=PROD)
    assert result.returncode == 0, result.stdout + result.stderr
    probe = json.loads(result.stdout.split("PROBE", 1)[1])
    assert probe["/accounts/login/"]["status"] == 200
    for path, res in probe.items():
        csp = dict(d.strip().split(" ", 1) for d in res["headers"]["Content-Security-Policy"].split(";") if d.strip())
        assert csp["default-src"] == "'self'" and csp["script-src"] == "'self'", (path, csp)
        assert "unsafe-inline" not in csp["script-src"] and "unsafe-eval" not in csp["script-src"]
        assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
        policy = res["headers"]["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy, (path, policy)


TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"(?:href|src|action)\s*=\s*[\"']?\s*javascript:", re.I)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_no_template_has_inline_script_or_event_handlers(path):
    source = path.read_text()
    assert not INLINE_SCRIPT.search(source), "inline <script>: move it into static/js/ and pass data by json_script"
    assert not HANDLER.search(source), "inline event handler (on...=): attach it from a static script"
    assert not JS_URL.search(source), "javascript: URL"


def test_the_pages_with_charts_load_their_script_from_static(client, staff_user):
    client.force_login(staff_user)
    html = client.get("/compliance/portfolio/").content.decode()
    assert '<script src="/static/js/portfolio-chart.js"></script>' in html and 'id="status-data"' in html


DOCS = ["/api/schema/", "/api/docs/", "/api/redoc/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", DOCS)
def test_api_docs_need_a_login_unless_public(client, settings, path, admin_a):
    settings.API_DOCS_PUBLIC = False
    res = client.get(path)
    if path == "/api/schema/":
        assert res.status_code in (401, 403)
    else:
        assert res.status_code == 302 and res["Location"].startswith(f"/accounts/login/?next={path}")
    client.force_login(admin_a)
    assert client.get(path).status_code == 200
    settings.API_DOCS_PUBLIC = True
    client.logout()
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_the_schema_answers_a_token_when_docs_are_not_public(settings, admin_a):
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    settings.API_DOCS_PUBLIC = False
    _, key = AuthToken.objects.create(admin_a)
    assert APIClient().get("/api/schema/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_api_docs_are_not_public_by_default_in_production():
    result = manage(
        "shell", "-v", "0", "-c", "from django.conf import settings; print(settings.API_DOCS_PUBLIC)", env=PROD
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.django_db
def test_swagger_ui_has_no_inline_script(client, staff_user):
    client.force_login(staff_user)
    html = client.get("/api/docs/").content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert client.get("/api/docs/?script=").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs/", "/api/docs/?script=", "/api/redoc/"])
def test_the_api_docs_policy_allows_the_portal_only(client, staff_user, path):
    """What Swagger UI and Redoc need (their bundled inline styles, data: icons, Redoc's blob: search worker), and
    no other host in any directive (tests/e2e/test_api_docs.py: no request elsewhere, no CSP refusal)."""
    client.force_login(staff_user)
    header = client.get(path)["Content-Security-Policy"]
    csp = dict(d.strip().split(" ", 1) for d in header.split(";") if d.strip())
    sources = {source for value in csp.values() for source in value.split()}
    assert sources <= {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}, header
    assert csp["script-src"] == "'self'" and csp["font-src"] == "'self'" and csp["img-src"] == "'self' data:"
