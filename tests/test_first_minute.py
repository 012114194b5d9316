"""What `make run` shows in its first minute: one block of demo logins, emails in files, quiet 403s and 404s, and
every log line once."""

import io
import logging

from django.conf import settings
from django.core import mail
from django.test import override_settings

from config.management.commands.seed_demo import logins_block
from tests.test_settings import manage


def test_the_demo_logins_are_one_block_with_the_captain_and_where_emails_go():
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(settings.BASE_DIR / "var" / "emails"),
    ):
        lines = logins_block().splitlines()
    assert lines[0] == "Demo logins (password for all: portal-demo-2026):"
    users = [line.split()[0] for line in lines[1:-1]]
    assert users == ["staff", "manager", "acme-admin", "globex-admin", "anna", "captain"]
    assert all(line.startswith("  ") for line in lines[1:-1])
    assert len({line.index(line.split()[1], 2) for line in lines[1:-1]}) == 1  # one column for the descriptions
    assert lines[-1] == "Emails are not sent: they are written to files in var/emails/."


def test_local_settings_write_emails_to_files_under_var():
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND); print(settings.EMAIL_FILE_PATH)"
    result = manage("shell", "-v", "0", "-c", code, env={"DJANGO_SETTINGS_MODULE": "config.settings.local"})
    backend, path = result.stdout.split()
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert path == str(settings.BASE_DIR / "var" / "emails")


def test_the_file_backend_puts_each_email_in_a_file(tmp_path):
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=str(tmp_path)
    ):
        mail.send_mail("Your renewal", "The window opens in 12 days.", None, ["anna@acme.example.com"])
    (written,) = tmp_path.iterdir()
    assert "Subject: Your renewal" in written.read_text()


LOG_LINES = """
import logging
logging.getLogger("django.request").warning("Not Found: /nowhere/")
logging.getLogger("django").info("a django line")
logging.getLogger("renewals.tasks").info("an app line")
try:
    raise RuntimeError("a bug")
except RuntimeError:
    logging.getLogger("django.request").error("Internal Server Error: /boom/", exc_info=True)
"""


def test_every_log_line_is_printed_once_and_a_real_failure_keeps_its_traceback():
    result = manage("shell", "-v", "0", "-c", LOG_LINES, env={"DJANGO_SETTINGS_MODULE": "config.settings.local"})
    out = result.stderr
    assert out.count("Not Found: /nowhere/") == 1
    assert out.count("a django line") == 1 and out.count("an app line") == 1
    assert out.count("Internal Server Error: /boom/") == 1 and out.count("RuntimeError: a bug") == 1


def test_a_403_logs_one_warning_line_without_a_traceback(client, admin_a, caplog):
    client.force_login(admin_a)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/learning/ce/review/").status_code == 403
        assert client.get("/no-such-page/").status_code == 404
    (forbidden, not_found) = [r for r in caplog.records if r.name == "django.request"]
    assert forbidden.levelno == logging.WARNING and forbidden.getMessage().startswith("Forbidden")
    assert forbidden.exc_info is None and not_found.exc_info is None
    assert "Traceback" not in caplog.text


def test_seed_demo_prints_the_block_once(db):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert text.count("Demo logins") == 1 and text.count("  captain ") == 1
    assert text.index("  captain ") > text.index("  anna ")
