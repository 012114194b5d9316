import io
import os
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from partners.demo import DEMO_PASSWORD
from tests.compliance.factories import ensure_default_program

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def browser():
    """One Playwright per test: its sync API runs an event loop in this thread while it lives, which makes
    Django's connections context-local; stopping it after each test gives the next test's database
    set-up (serialized rollback) the ordinary connection back."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"REQUIRE_BROWSER is set but no Chromium at {CHROMIUM}")
        pytest.skip("no system Chromium (apt-get install chromium); .ci/run installs it")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()
        from django.db import connections

        connections.close_all()  # the connections the test opened inside Playwright's context


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def sign_in(page, base_url, username, password=DEMO_PASSWORD):
    """Log in through the login page, as a person does; -> the page."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


@pytest.fixture
def login(page, live_server):
    return lambda username, password="pw-123-secret": sign_in(page, live_server.url, username, password)


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


@pytest.fixture
def demo():
    """The demo (what `make run` loads) in a transactional test's database. A flush before it dropped what the
    data migrations ship, and rows restored with their ids since then leave PostgreSQL's sequences behind them:
    the program first, the sequences moved past every row, then seed_demo."""
    ensure_default_program()
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)
    call_command("seed_demo", stdout=io.StringIO())
