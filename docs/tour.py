"""The README's tour screenshots: `python docs/tour.py` (after `make install`; needs /usr/bin/chromium).

Loads the demo into a fresh SQLite database under var/, serves it with Django's development server on
127.0.0.1:8765 and saves four screenshots to docs/tour/ with the system Chromium: the partner admin's home,
the account manager's home, a specialization's page, and the partner admin's compliance page on a phone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "tour"
DB = ROOT / "var" / "tour.sqlite3"
URL = "http://127.0.0.1:8765"
PASSWORD = "portal-demo-2026"
SHOTS = [
    # (file, user, path or a link text to click on the home page, viewport)
    ("partner-admin-home.png", "acme-admin", "/", (1280, 860)),
    ("account-manager-home.png", "manager", "/", (1280, 860)),
    ("specialization.png", "acme-admin", "link:Advanced Security Architecture · Germany", (1280, 860)),
    ("compliance-phone.png", "acme-admin", "link:Compliance", (390, 844)),
]


def main() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DATABASE_URL": f"sqlite:///{DB}"}
    DB.parent.mkdir(exist_ok=True)
    DB.unlink(missing_ok=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "seed_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [*manage, "runserver", "127.0.0.1:8765", "--noreload"], env=env, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"{URL}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for name, user, where, (width, height) in SHOTS:
                page = browser.new_context(viewport={"width": width, "height": height}).new_page()
                page.goto(f"{URL}/accounts/login/")
                page.fill("#id_username", user)
                page.fill("#id_password", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
                if where.startswith("link:"):
                    if width < 860:  # the header is collapsed behind its menu button
                        page.get_by_text("Menu").first.click()
                    page.get_by_role("link", name=where[5:], exact=True).first.click()
                else:
                    page.goto(URL + where)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(500)  # the charts' animation
                page.screenshot(path=str(OUT / name))
                print(OUT / name)
            browser.close()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
